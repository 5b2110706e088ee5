package org.decency.config;

import java.nio.file.Path;

/**
 * A configuration error, always one line: {@code file:line: key: what was expected}.
 * The server refuses to start on one.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException at(Path file, int line, String key, String problem) {
        String where = file == null ? "<config>" : file.toString();
        return new ConfigException(where + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
    }
}
