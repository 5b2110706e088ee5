package org.decency.checks.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.decency.config.ConfigNode;
import org.decency.core.Transaction;

/**
 * Whose model or preferences an engine uses for a mail (the seeds' User role): the
 * {@code default_user} when set; else the output of {@code cmd_user}, a command that gets
 * the recipient address on its standard input and prints the user name; else the
 * recipient address itself. With Postfix's {@code smtp_destination_recipient_limit=1} the
 * Detective sees one recipient a mail; with several, the first decides.
 */
public record EngineUser(String defaultUser, List<String> cmdUser, Duration timeout) {

    public static EngineUser read(ConfigNode module) {
        String cmd = module.string("cmd_user", "").strip();
        return new EngineUser(module.string("default_user", "").strip(), cmd.isEmpty() ? List.of() : List.of("/bin/sh", "-c", cmd),
                Duration.ofSeconds(5));
    }

    /** The user for {@code tx}; empty when there is none (no default, no command, no recipient). */
    public String of(Transaction tx) throws IOException {
        if (!defaultUser.isEmpty()) return defaultUser;
        String recipient = tx.recipient() == null || tx.recipient().isNull() ? "" : tx.recipient().raw();
        if (cmdUser.isEmpty() || recipient.isEmpty()) return recipient;
        return run(recipient);
    }

    /**
     * Runs {@code cmd_user} with the recipient on its input, through {@link EngineCommand}:
     * killed at the timeout, and a command that does not read its input is no error.
     */
    private String run(String recipient) throws IOException {
        byte[] in = (recipient + "\n").getBytes(StandardCharsets.UTF_8);
        EngineCommand.Result r = EngineCommand.of("cmd_user", cmdUser).run(() -> new ByteArrayInputStream(in), "", timeout);
        if (r.exit() != 0) throw new IOException("cmd_user " + r.describe());
        String user = r.out().lines().findFirst().orElse("").strip();
        if (user.isEmpty()) throw new IOException("cmd_user printed no user for " + recipient);
        return user;
    }
}
