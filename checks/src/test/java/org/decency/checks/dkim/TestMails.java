package org.decency.checks.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mails for the DKIM tests, with CRLF line ends as they come over SMTP. */
final class TestMails {
    private TestMails() {}

    static final String PLAIN = """
            Received: from mail.example.com (mail.example.com [192.0.2.1])
            \tby mx.example.org with ESMTP id 1234; Mon, 23 Nov 2026 10:00:00 +0000
            From: Alice Example <alice@example.com>
            To: bob@example.org
            Cc: carol@example.org
            Subject: Lunch  on\tFriday?
             (folded subject)
            Date: Mon, 23 Nov 2026 10:00:00 +0000
            Message-ID: <1234@mail.example.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Hi Bob,  \t
            shall we meet at noon?

            Alice


            """;

    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static Path write(Path file, String text) throws IOException {
        return Files.write(file, crlf(text));
    }

    /** {@code signed} with its body changed: a word of its first body line. */
    static String tamperBody(String signed) {
        int body = signed.indexOf("\r\n\r\n");
        return signed.substring(0, body) + signed.substring(body).replaceFirst("Bob", "Rob");
    }

    /** {@code signed} with its Subject changed. */
    static String tamperHeader(String signed) {
        return signed.replaceFirst("Subject: Lunch", "Subject: Dinner");
    }
}
