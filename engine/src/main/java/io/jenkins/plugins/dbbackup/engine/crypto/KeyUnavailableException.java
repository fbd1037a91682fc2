package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.IOException;

/** No key given can decrypt the data. (Placeholder until the codec lands.) */
public class KeyUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public KeyUnavailableException(String message) {
        super(message);
    }
}
