package io.jenkins.plugins.dbbackup.engine.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which failures the client re-sends at once: only those that prove the server never processed the request. */
class S3ClientsTest {
    private static SdkClientException wrapped(Throwable cause) {
        return SdkClientException.builder().message("Unable to execute HTTP request").cause(cause).build();
    }

    @Test
    void aClosedPooledConnectionIsResent() {
        assertThat(S3Clients.neverReachedTheServer(wrapped(new NoHttpResponseException("failed to respond")))).isTrue();
        assertThat(S3Clients.neverReachedTheServer(wrapped(new SocketException("Broken pipe")))).isTrue();
        assertThat(S3Clients.neverReachedTheServer(wrapped(new IOException(new SocketException("Broken pipe (Write failed)")))))
                .isTrue();
    }

    @Test
    void failuresAfterTheServerMayHaveActedAreLeftToTheCallersRetries() {
        // a reset or a timeout can come after the server stored the object or completed the upload
        assertThat(S3Clients.neverReachedTheServer(wrapped(new SocketException("Connection reset")))).isFalse();
        assertThat(S3Clients.neverReachedTheServer(wrapped(new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(S3Clients.neverReachedTheServer(wrapped(new SocketException()))).isFalse();
        assertThat(S3Clients.neverReachedTheServer(SdkClientException.create("no cause"))).isFalse();
    }
}
