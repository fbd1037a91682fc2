package io.jenkins.plugins.dbbackup.engine.storage.s3;

import io.jenkins.plugins.dbbackup.engine.storage.StorageException;
import io.jenkins.plugins.dbbackup.engine.storage.StorageException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into {@link StorageException}s of the right {@link Kind}, with a message that names the bucket
 * and says what to check. Messages are scrubbed of the configured secrets (the SDK never puts them into messages,
 * but a message is cheap to check).
 */
final class S3Errors {
    private final String where;
    private final List<String> secrets;

    /**
     * @param where the bucket (and endpoint) for messages
     * @param secrets values that must never appear in a message (secret key, session token); nulls ignored
     */
    S3Errors(String where, List<String> secrets) {
        this.where = where;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /** Classifies a failure of {@code what} (for example "PUT orders/x/data.bin"). */
    StorageException classify(String what, Exception e) {
        if (e instanceof StorageException s) {
            return s;
        }
        if (e instanceof AwsServiceException service) {
            return service(what, service);
        }
        if (e instanceof AbortedException || e instanceof InterruptedIOException) {
            return new StorageException(Kind.PERMANENT, scrub(what + " on " + where + " was interrupted"), e);
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return new StorageException(Kind.RETRYABLE, scrub(what + " on " + where + " timed out"), e);
        }
        Throwable io = ioCause(e);
        if (io instanceof UnknownHostException) {
            return new StorageException(Kind.PERMANENT, scrub(what + " on " + where + ": unknown host " + io.getMessage()
                    + " (check the endpoint and the region)"), e);
        }
        if (io instanceof SSLException) {
            return new StorageException(Kind.PERMANENT, scrub(what + " on " + where + ": TLS failure: " + io.getMessage()
                    + " (check the endpoint's certificate and that http/https matches the endpoint)"), e);
        }
        if (io instanceof ConnectException) {
            return new StorageException(Kind.RETRYABLE, scrub(what + " on " + where + ": cannot connect: "
                    + io.getMessage() + " (check the endpoint)"), e);
        }
        if (io instanceof SocketTimeoutException) {
            return new StorageException(Kind.RETRYABLE, scrub(what + " on " + where + ": timed out: " + io.getMessage()), e);
        }
        if (io != null) {
            // connection reset, broken pipe, a response cut short: the request may be sent again
            return new StorageException(Kind.RETRYABLE, scrub(what + " on " + where + ": connection failed: "
                    + io.getClass().getSimpleName() + ": " + io.getMessage()), e);
        }
        if (e instanceof SdkClientException client) {
            return new StorageException(Kind.PERMANENT, scrub(what + " on " + where + ": " + client.getMessage()
                    + hintForClientError(client.getMessage())), e);
        }
        if (e instanceof SdkException sdk && sdk.retryable()) {
            return new StorageException(Kind.RETRYABLE, scrub(what + " on " + where + ": " + sdk.getMessage()), e);
        }
        return new StorageException(Kind.PERMANENT, scrub(what + " on " + where + ": " + e), e);
    }

    private StorageException service(String what, AwsServiceException e) {
        int status = e.statusCode();
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "" : details.errorCode();
        String serverMessage = details == null || details.errorMessage() == null ? "" : details.errorMessage();
        String lower = (code + " " + serverMessage).toLowerCase(Locale.ROOT);
        String head = what + " on " + where + ": " + (code.isEmpty() ? "HTTP " + status : code)
                + (serverMessage.isEmpty() ? "" : " (" + serverMessage + ")");
        Kind kind;
        String hint;
        switch (code) {
            case "NoSuchKey" -> {
                kind = Kind.NOT_FOUND;
                hint = "";
            }
            case "NoSuchBucket" -> {
                kind = Kind.PERMANENT;
                hint = ": the bucket does not exist; check the bucket name, the region and the endpoint";
            }
            case "NoSuchUpload" -> {
                kind = Kind.PERMANENT;
                hint = ": the multipart upload is gone (aborted, or removed by a lifecycle rule)";
            }
            case "InvalidAccessKeyId" -> {
                kind = Kind.PERMANENT;
                hint = ": the access key id is not known to this endpoint; check the access key id and the endpoint";
            }
            case "SignatureDoesNotMatch" -> {
                kind = Kind.PERMANENT;
                hint = ": the request signature was refused; check the secret access key and the region";
            }
            case "ExpiredToken", "InvalidToken", "TokenRefreshRequired" -> {
                kind = Kind.PERMANENT;
                hint = ": the session token is expired or invalid; refresh the temporary credentials";
            }
            case "RequestTimeTooSkewed" -> {
                kind = Kind.PERMANENT;
                hint = ": this machine's clock differs too much from the server's; fix the clock (NTP)";
            }
            case "ObjectLocked" -> {
                kind = Kind.LOCKED;
                hint = ": the object is protected by Object Lock retention or a legal hold and cannot be deleted"
                        + " or overwritten until the retention period ends";
            }
            case "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted",
                    "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests" -> {
                kind = Kind.RETRYABLE;
                hint = "";
            }
            case "InvalidRequest" -> {
                if (lower.contains("missing object lock configuration")) {
                    kind = Kind.PERMANENT;
                    hint = ": the bucket has no Object Lock; locks need a bucket created with Object Lock enabled"
                            + " (or drop objectLockDays and the tiers' lock periods)";
                } else if (lower.contains("content-md5") || lower.contains("checksum")) {
                    kind = Kind.PERMANENT;
                    hint = ": the store wants a checksum header it did not get; check the store's Object Lock support";
                } else if (mentionsLock(lower)) {
                    kind = Kind.LOCKED;
                    hint = ": the object is protected by Object Lock; it can be removed only after its retention";
                } else {
                    kind = Kind.PERMANENT;
                    hint = "";
                }
            }
            default -> {
                if (status == 403 && mentionsLock(lower)) {
                    kind = Kind.LOCKED;
                    hint = ": the object is protected by Object Lock; it can be removed only after its retention";
                } else if (status == 403) {
                    kind = Kind.PERMANENT;
                    hint = ": access denied; check that the credentials are valid and that their IAM policy allows"
                            + " this action on the bucket and prefix (see docs/s3.md)";
                } else if (status == 404) {
                    kind = Kind.NOT_FOUND;
                    hint = "";
                } else if (status == 408 || status == 429 || status >= 500 && status != 501) {
                    kind = Kind.RETRYABLE;
                    hint = "";
                } else if (status == 501) {
                    kind = Kind.PERMANENT;
                    hint = ": the endpoint does not implement this S3 feature";
                } else {
                    kind = e.retryable() ? Kind.RETRYABLE : Kind.PERMANENT;
                    hint = "";
                }
            }
        }
        return new StorageException(kind, scrub(head + hint), e);
    }

    /** Whether a failure says the multipart upload no longer exists (completed, aborted or expired). */
    static boolean isNoSuchUpload(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException s && s.awsErrorDetails() != null
                    && "NoSuchUpload".equals(s.awsErrorDetails().errorCode())) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsLock(String lower) {
        return lower.contains("object lock") || lower.contains("objectlock") || lower.contains("worm")
                || lower.contains("retention") || lower.contains("legal hold");
    }

    private static String hintForClientError(String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (lower.contains("credential")) {
            return " (give an access key id and secret, or configure the AWS default credential chain:"
                    + " environment, profile, instance role)";
        }
        if (lower.contains("region")) {
            return " (set the region)";
        }
        return "";
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && !(t instanceof StorageException)) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }


    String scrub(String message) {
        String result = message;
        for (String secret : secrets) {
            result = result.replace(secret, "**redacted**");
        }
        return result;
    }
}
