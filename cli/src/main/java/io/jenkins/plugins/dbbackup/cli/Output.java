package io.jenkins.plugins.dbbackup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jenkins.plugins.dbbackup.engine.ProgressListener;
import java.io.PrintWriter;

/** Human lines on stderr while working; the result on stdout, as text or JSON. */
final class Output {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Output() {}

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Progress lines to stderr, unless quiet. */
    static ProgressListener progress(PrintWriter err, boolean quiet) {
        if (quiet) {
            return ProgressListener.NONE;
        }
        return message -> {
            synchronized (err) {
                err.println(message);
                err.flush();
            }
        };
    }
}
