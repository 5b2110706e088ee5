package org.decency.detective;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.detective.reinject.Reinjector;
import org.decency.detective.spool.SpooledEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications about spam and viruses, through the reinjection targets like any
 * mail, from {@code notification_from} with the null sender as envelope sender (a notice
 * must never cause a bounce of its own). The text comes from the notice's template, or a
 * built-in one; variables in templates are written {@code %name%}:
 * {@code %reason%} (spam or virus), {@code %virus%}, {@code %sender%}, {@code %recipient%},
 * {@code %subject%}, {@code %score%}, {@code %spam_info%}, {@code %message_id%},
 * {@code %quarantine_id%}, {@code %id%}. A notice that cannot be sent is logged; the
 * decision about the mail stands.
 */
final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final Set<String> VARIABLES = Set.of("reason", "virus", "sender", "recipient", "subject", "score", "spam_info",
            "message_id", "quarantine_id", "id");

    private final Reinjector reinjector;
    private final String from;

    Notifier(Reinjector reinjector, String from) {
        this.reinjector = reinjector;
        this.from = from;
    }

    void send(Notice notice, String to, Map<String, String> vars) {
        if (!notice.enabled() || to.isEmpty() || MailAddress.parse(to).isNull()) return;
        try {
            String body = notice.template() == null ? builtIn(vars) : Files.readString(notice.template(), StandardCharsets.UTF_8);
            for (String v : VARIABLES) body = body.replace("%" + v + "%", vars.getOrDefault(v, ""));
            String mail = "From: " + from + "\r\n"
                    + "To: <" + to + ">\r\n"
                    + "Subject: " + notice.subject() + "\r\n"
                    + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                    + "Message-ID: <" + Identifiers.next() + "@decency>\r\n"
                    + "Auto-Submitted: auto-generated\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n"
                    + "X-Mailer: Decency\r\n\r\n"
                    + body.replace("\r\n", "\n").replace("\n", "\r\n");
            byte[] bytes = mail.getBytes(StandardCharsets.UTF_8);
            SpooledEnvelope env = new SpooledEnvelope("", "", List.of(new SpooledEnvelope.Recipient(to, "")), Map.of(), "", 0);
            Reinjector.Result r = reinjector.deliver(env, List.of(to), bytes.length, out -> out.write(bytes));
            if (r.delivered()) log.info("notice \"{}\" sent to <{}> about {}", notice.subject(), to, vars.getOrDefault("id", ""));
            else log.warn("notice \"{}\" to <{}> could not be sent: {}", notice.subject(), to, r.problem());
        } catch (IOException | RuntimeException e) {
            log.warn("notice \"{}\" to <{}> could not be sent: {}", notice.subject(), to, e.toString());
        }
    }

    private static String builtIn(Map<String, String> vars) {
        return "Your mail to %recipient% was not delivered.\n\nSubject of the mail: %subject%\nReason: categorized as %reason%"
                + (vars.getOrDefault("virus", "").isEmpty() ? "" : " (%virus%)") + "\nReference: %id%\n";
    }
}
