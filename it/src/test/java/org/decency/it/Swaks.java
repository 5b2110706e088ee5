package org.decency.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends one mail with swaks, as a remote client would, and keeps the SMTP transcript.
 * The test client always connects from 127.0.0.1; XCLIENT makes Postfix see (and pass to
 * the policy service) the client address and name of the {@link Mail}.
 */
final class Swaks {

    /** One mail from a client. */
    record Mail(String clientAddress, String clientName, String from, String to) {}

    private Swaks() {}

    static Session send(int port, Mail mail) {
        return run(mail, "--server", "127.0.0.1:" + port,
                "--header", "Subject: Decency integration test",
                "--body", "Hello from the integration test.");
    }

    /** Sends {@code message} (a whole mail: header and body) as the DATA of {@code mail}. */
    static Session send(int port, Mail mail, Path message) {
        return run(mail, "--server", "127.0.0.1:" + port, "--data", "@" + message);
    }

    private static Session run(Mail mail, String... what) {
        List<String> args = new ArrayList<>(List.of(Commands.path("swaks"),
                "--xclient-addr", mail.clientAddress(),
                "--xclient-name", mail.clientName(),
                "--helo", mail.clientName(),
                "--from", mail.from(),
                "--to", mail.to(),
                "--timeout", "60"));
        args.addAll(List.of(what));
        Commands.Result r = Commands.run(Duration.ofSeconds(90), args.toArray(String[]::new));
        return new Session(mail, r.exitCode(), r.output());
    }

    /**
     * A swaks transcript: {@code " -> "} starts what the client sent, {@code "<- "} (and
     * {@code "<** "} for errors) what the server answered.
     */
    record Session(Mail mail, int exitCode, String transcript) {

        /** The server's reply (all lines of a multi-line reply, joined by newlines) to the first command starting with {@code command}; empty if never sent. */
        String replyTo(String command) {
            List<String> lines = transcript.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (!l.startsWith(" -> ") || !l.substring(4).toUpperCase(Locale.ROOT).startsWith(command.toUpperCase(Locale.ROOT))) continue;
                List<String> reply = new ArrayList<>();
                for (int j = i + 1; j < lines.size(); j++) {
                    String r = lines.get(j);
                    if (!r.startsWith("<")) continue;
                    String text = r.substring(4);
                    reply.add(text);
                    if (text.length() < 4 || text.charAt(3) != '-') break;
                }
                return String.join("\n", reply);
            }
            return "";
        }

        String rcptReply() {
            return replyTo("RCPT TO:");
        }

        /** The reply to the end of the message data: {@code 250 ... queued as ...} when Postfix took the mail. */
        String endOfDataReply() {
            // swaks prints the message as " -> " lines too and ends it with " -> ." on a line of its own
            List<String> lines = transcript.lines().toList();
            int dot = lines.lastIndexOf(" -> .");
            if (dot < 0) return "";
            return lines.subList(dot + 1, lines.size()).stream().filter(l -> l.startsWith("<"))
                    .map(l -> l.substring(4)).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "--- swaks (exit " + exitCode + ") " + mail + " ---\n" + transcript;
        }
    }
}
