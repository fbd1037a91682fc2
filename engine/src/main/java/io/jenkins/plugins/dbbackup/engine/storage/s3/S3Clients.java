package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.RepositorySpec.S3Settings;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import org.apache.http.NoHttpResponseException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the {@link S3Client} for a repository's {@link S3Settings}. */
public final class S3Clients {
    private S3Clients() {}

    /** The region used when an endpoint is given without one (S3-compatible stores mostly ignore it). */
    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * A sync client: Apache HTTP client with bounded timeouts, explicit credentials when given (else the SDK's default
     * chain: environment, system properties, profile, web identity, container and instance roles), endpoint override
     * and path-style addressing for S3-compatible stores.
     *
     * <p>The SDK's own retries are off but for one case: {@code RetryingStorage} retries whole operations and
     * {@link S3Storage}'s writer retries each buffered part, so every attempt is counted once and follows one policy.
     * The exception is a pooled keep-alive connection that the server had already closed: the request then gets no
     * response at all ({@link NoHttpResponseException}) or cannot even be written ("Broken pipe"), so the server never
     * processed it, and it is sent again at once on a fresh connection, as browsers and the SDK's default policy do;
     * that is not a failure of the store and must not spend a retry. Checksums are
     * computed by {@link S3Storage} (CRC32C of each part) and sent as headers, so the SDK does not need to add its
     * own (and does not switch to aws-chunked trailers, which some S3-compatible stores reject).
     *
     * @param maxConnections at least the writer's parts in flight plus a few for concurrent reads
     */
    public static S3Client create(S3Settings s, int maxConnections) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                        .maxConnections(maxConnections)
                        .tcpKeepAlive(true))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(staleConnectionRetry())
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                // no aws-chunked bodies: over plain HTTP the SDK would otherwise sign every chunk of every part and
                // copy it (a byte of garbage per byte uploaded, 360 MB peak RSS for a 1 GB backup to a loopback
                // store); without them it hashes each part once for the signature (HTTP) or sends it unsigned
                // inside TLS (HTTPS), reading our buffer without copying
                .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
                .forcePathStyle(s.pathStyle())
                .credentialsProvider(credentials(s));
        String region = blankToNull(s.region());
        String endpoint = blankToNull(s.endpoint());
        if (endpoint != null) {
            builder.endpointOverride(endpointUri(endpoint));
            builder.region(Region.of(region == null ? DEFAULT_REGION : region));
        } else if (region != null) {
            builder.region(Region.of(region));
        }
        // no region and no endpoint: the SDK's region chain (AWS_REGION, profile, instance metadata)
        return builder.build();
    }

    /**
     * One immediate re-send when a reused connection turns out to be closed; nothing else is retried here (without
     * {@code useClientDefaults(false)} the SDK would add its own conditions: throttling, 5xx, every I/O error).
     */
    static RetryStrategy staleConnectionRetry() {
        return StandardRetryStrategy.builder()
                .maxAttempts(2)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .circuitBreakerEnabled(false)
                .retryOnException(S3Clients::neverReachedTheServer)
                .useClientDefaults(false)
                .build();
    }

    /**
     * Whether a failure shows the request was never processed because its connection was already closed: no response
     * at all, or a broken pipe while writing it. A connection reset is not one of these: it can come after the server
     * acted on the request (a lost answer), which the callers' own retries handle.
     */
    static boolean neverReachedTheServer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoHttpResponseException) {
                return true;
            }
            if (t instanceof java.net.SocketException && t.getMessage() != null
                    && t.getMessage().contains("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    static URI endpointUri(String endpoint) {
        String value = endpoint.contains("://") ? endpoint : "https://" + endpoint;
        URI uri = URI.create(value);
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("S3 endpoint '" + endpoint + "' is not a valid http(s) URL");
        }
        return uri;
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        String accessKey = blankToNull(s.accessKeyId());
        if (accessKey == null) {
            if (s.secretAccessKey() != null && !s.secretAccessKey().isEmpty()) {
                throw new IllegalArgumentException("an S3 secret access key is given without its access key id");
            }
            return DefaultCredentialsProvider.builder().build();
        }
        if (s.secretAccessKey() == null || s.secretAccessKey().isEmpty()) {
            throw new IllegalArgumentException("S3 access key id " + accessKey + " is given without its secret access key");
        }
        if (s.sessionToken() != null && !s.sessionToken().isEmpty()) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    accessKey, s.secretAccessKey().reveal(), s.sessionToken().reveal()));
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, s.secretAccessKey().reveal()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
