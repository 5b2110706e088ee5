package org.decency.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Hands one mail over as Postfix's content_filter transport does: XFORWARD, MAIL, RCPT, DATA. */
final class SmtpTestClient {
    private SmtpTestClient() {}

    /** The reply to the end of DATA (its last line). */
    static String send(int port, String clientAddress, String sender, List<String> recipients, String mail) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO postfix.example.org", "250");
            command(out, in, "XFORWARD ADDR=" + clientAddress + " NAME=mail.example.net HELO=mail.example.net PROTO=ESMTP", "250");
            command(out, in, "MAIL FROM:<" + sender + ">", "250");
            for (String r : recipients) command(out, in, "RCPT TO:<" + r + ">", "250");
            command(out, in, "DATA", "354");
            String body = mail.replace("\r\n", "\n").replace("\n", "\r\n");
            out.write((body.endsWith("\r\n") ? body : body + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = reply(in);
            command(out, in, "QUIT", "221");
            return reply;
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String r = reply(in);
        if (!r.startsWith(code)) throw new IOException("expected " + code + ", got " + r);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed");
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }
}
