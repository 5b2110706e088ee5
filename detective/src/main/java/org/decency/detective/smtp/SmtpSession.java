package org.decency.detective.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpoolEntry;
import org.decency.detective.spool.SpooledEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP or LMTP session of the Detective, on its own (virtual) thread: greeting,
 * EHLO/LHLO with PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES, DSN, SMTPUTF8 and
 * XFORWARD; MAIL, RCPT, DATA (into the spool), RSET, NOOP, QUIT. After DATA the mail is
 * made durable in the spool and handed to the {@link MailSink}, whose answer is the
 * reply: the client hears 250 only once the mail is ours.
 *
 * <p>Never trusts the client: over-long lines, too many recipients, a mail over SIZE,
 * commands out of order get proper SMTP errors; a client that vanishes in the middle
 * of DATA leaves nothing behind.
 */
public final class SmtpSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    private static final String XFORWARD_ATTRIBUTES = "NAME ADDR PORT PROTO HELO IDENT SOURCE";
    private static final java.util.Set<String> XFORWARD_NAMES = java.util.Set.of(XFORWARD_ATTRIBUTES.split(" "));

    private final Socket socket;
    private final SmtpServerSettings settings;
    private final Spool spool;
    private final MailSink sink;
    private final EnvelopeGate gate;
    private final String peer;
    private EnvelopeGate.Screening screening = EnvelopeGate.Screening.NONE;
    private OutputStream out;
    private LineReader in;

    private String helo = "";
    private boolean esmtp;
    private final Map<String, String> xforward = new LinkedHashMap<>();
    private String sender;
    private String senderParams = "";
    private final List<SpooledEnvelope.Recipient> recipients = new ArrayList<>();
    private boolean rcptRefused;

    public SmtpSession(Socket socket, SmtpServerSettings settings, Spool spool, MailSink sink) {
        this(socket, settings, spool, sink, EnvelopeGate.OPEN);
    }

    public SmtpSession(Socket socket, SmtpServerSettings settings, Spool spool, MailSink sink, EnvelopeGate gate) {
        this.socket = socket;
        this.settings = settings;
        this.spool = spool;
        this.sink = sink;
        this.gate = gate;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
    }

    @Override
    public void run() {
        try (socket) {
            // the 421 must be written before the socket is closed: the catch is inside the try-with-resources
            try {
                serve();
            } catch (SocketTimeoutException e) {
                log.info("detective client {}: silent for {}; disconnected", peer, settings.idleTimeout());
                tryReply(421, "4.4.2", "Timeout, closing connection");
            }
        } catch (IOException e) {
            log.debug("detective client {}: {}", peer, e.toString());
        }
    }

    private void serve() throws IOException {
        socket.setSoTimeout((int) settings.idleTimeout().toMillis());
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        in = new LineReader(new BufferedInputStream(socket.getInputStream(), 65536), settings.maxLineLength());
        reply(220, "", settings.hostname() + (settings.lmtp() ? " LMTP" : " ESMTP") + " Decency");
        flush();
        while (true) {
            LineReader.Line line = in.next();
            if (line == null) return;
            if (line.tooLong()) {
                reply(500, "5.5.2", "Line too long");
            } else if (!command(line.text())) {
                flush();
                return;
            }
            if (!in.more()) flush();
        }
    }

    /** Handles one command; false when the session ends. */
    private boolean command(String line) throws IOException {
        String upper = line.toUpperCase(Locale.ROOT);
        String verb = upper.contains(" ") ? upper.substring(0, upper.indexOf(' ')) : upper;
        String arg = line.length() > verb.length() ? line.substring(verb.length()).strip() : "";
        switch (verb) {
            case "EHLO", "LHLO" -> hello(arg, true, verb);
            case "HELO" -> hello(arg, false, verb);
            case "XFORWARD" -> xforward(arg);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> data();
            case "RSET" -> {
                reset();
                reply(250, "2.0.0", "Ok");
            }
            case "NOOP" -> reply(250, "2.0.0", "Ok");
            case "VRFY" -> reply(252, "2.5.0", "Cannot VRFY; send mail and see");
            case "QUIT" -> {
                reply(221, "2.0.0", "Bye");
                return false;
            }
            default -> reply(502, "5.5.2", "Command not recognized");
        }
        return true;
    }

    private void hello(String arg, boolean extended, String verb) throws IOException {
        if (settings.lmtp() != verb.equals("LHLO")) { // LMTP knows only LHLO (RFC 2033); SMTP does not know it
            reply(500, "5.5.1", settings.lmtp() ? "This is LMTP: say LHLO" : "This is SMTP: say EHLO");
            return;
        }
        if (arg.isEmpty()) {
            reply(501, "5.5.4", "Syntax: " + verb + " hostname");
            return;
        }
        helo = arg;
        esmtp = extended;
        reset();
        if (!extended) {
            reply(250, "", settings.hostname());
            return;
        }
        reply(250, "", String.join("\n", settings.hostname(), "PIPELINING", "SIZE " + settings.maxSize(), "8BITMIME",
                "ENHANCEDSTATUSCODES", "DSN", "SMTPUTF8", "XFORWARD " + XFORWARD_ATTRIBUTES));
    }

    private void xforward(String arg) throws IOException {
        if (sender != null) {
            reply(503, "5.5.1", "XFORWARD is allowed only before MAIL");
            return;
        }
        for (String pair : arg.split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                reply(501, "5.5.4", "Syntax: XFORWARD attribute=value ...");
                return;
            }
            String name = pair.substring(0, eq).toUpperCase(Locale.ROOT);
            if (!XFORWARD_NAMES.contains(name)) {
                reply(501, "5.5.4", "Unknown XFORWARD attribute " + name);
                return;
            }
            xforward.put(name, Xtext.decode(pair.substring(eq + 1)));
        }
        reply(250, "2.0.0", "Ok");
    }

    private void mail(String arg) throws IOException {
        if (helo.isEmpty()) {
            reply(503, "5.5.1", "Say " + (settings.lmtp() ? "LHLO" : "EHLO") + " first");
            return;
        }
        if (sender != null) {
            reply(503, "5.5.1", "Nested MAIL command");
            return;
        }
        Path p = path(arg, "FROM:");
        if (p == null) {
            reply(501, "5.1.7", "Syntax: MAIL FROM:<address>");
            return;
        }
        String size = param(p.params(), "SIZE");
        if (size != null) {
            try {
                if (Long.parseLong(size) > settings.maxSize()) {
                    reply(552, "5.3.4", "Message size exceeds fixed limit");
                    return;
                }
            } catch (NumberFormatException e) {
                reply(501, "5.5.4", "Bad SIZE parameter");
                return;
            }
        }
        EnvelopeGate.Screening opened = gate.begin(new EnvelopeGate.EnvelopeFacts(peerAddress(), helo, xforward, p.address(), p.params()));
        SmtpReply refused = opened.mail();
        if (refused != null) {
            write(refused);
            return;
        }
        screening = opened;
        sender = p.address();
        senderParams = p.params();
        reply(250, "2.1.0", "Ok");
    }

    private void rcpt(String arg) throws IOException {
        if (sender == null) {
            reply(503, "5.5.1", "Need MAIL before RCPT");
            return;
        }
        Path p = path(arg, "TO:");
        if (p == null || p.address().isEmpty()) {
            rcptRefused = true;
            reply(501, "5.1.3", "Syntax: RCPT TO:<address>");
            return;
        }
        if (recipients.size() >= settings.maxRecipients()) {
            rcptRefused = true;
            reply(452, "4.5.3", "Too many recipients");
            return;
        }
        SmtpReply refused = screening.rcpt(p.address(), p.params());
        if (refused != null) {
            rcptRefused = true;
            write(refused);
            return;
        }
        recipients.add(new SpooledEnvelope.Recipient(p.address(), p.params()));
        reply(250, "2.1.5", "Ok");
    }

    private void data() throws IOException {
        if (recipients.isEmpty()) {
            // 554 only when recipients were given and all refused (RFC 2920 pipelining); else out of sequence
            if (sender != null && rcptRefused) reply(554, "5.5.1", "No valid recipients");
            else reply(503, "5.5.1", sender == null ? "Need MAIL and RCPT before DATA" : "Need RCPT before DATA");
            return;
        }
        Spool.Incoming incoming;
        try {
            // before the 354: a spool that cannot take the mail is said at once
            incoming = spool.receive(new SpooledEnvelope(sender, senderParams, recipients, xforward, helo,
                    System.currentTimeMillis() / 1000));
        } catch (java.io.UncheckedIOException e) {
            log.error("detective client {}: cannot write to the spool: {}; told to try again later", peer, e.getCause().toString());
            reply(451, "4.3.0", "Local error in processing; try again later"); // the answer to DATA: one, also in LMTP
            reset();
            return;
        }
        reply(354, "", "End data with <CR><LF>.<CR><LF>");
        flush();
        String problem = null;
        long size = 0;
        try {
            OutputStream mail = incoming.out();
            for (String field : screening.headers()) {
                byte[] f = (field + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                mail.write(f);
                size += f.length;
            }
            while (true) {
                LineReader.Line line = in.next();
                if (line == null) {
                    log.info("detective client {}: vanished in the middle of DATA after {} bytes; nothing kept", peer, size);
                    incoming.abandon();
                    throw new IOException("client vanished in DATA");
                }
                byte[] b = line.bytes();
                int off = 0;
                int len = line.length();
                if (len == 1 && b[0] == '.' && !line.tooLong()) break;
                if (len > 0 && b[0] == '.') {
                    off = 1; // dot-stuffing
                    len--;
                }
                if (line.tooLong() && problem == null) problem = "552 5.3.4 Message line too long";
                size += len + 2;
                if (size > settings.maxSize() && problem == null) problem = "552 5.3.4 Message size exceeds fixed limit";
                if (problem == null) mail.write(b, off, line.withCrlf() - off);
            }
        } catch (IOException e) {
            incoming.abandon();
            throw e;
        }
        if (problem != null) {
            incoming.abandon();
            for (int i = 0; i < (settings.lmtp() ? recipients.size() : 1); i++) {
                reply(Integer.parseInt(problem.substring(0, 3)), problem.substring(4, 9), problem.substring(10));
            }
            reset();
            return;
        }
        SpoolEntry entry;
        try {
            entry = spool.commit(incoming);
        } catch (IOException e) {
            incoming.abandon();
            log.error("detective client {}: cannot write the mail to the spool: {}; told to try again later", peer, e.toString());
            answerAll(SmtpReply.of(451, "4.3.0", "Local error in processing; try again later"));
            reset();
            return;
        }
        List<SmtpReply> answers;
        try {
            answers = sink.deliver(entry, screening);
            if (answers == null || answers.isEmpty()) throw new IllegalStateException("no answer from the handler");
        } catch (RuntimeException e) {
            log.error("detective client {}: id={} handling failed: {}; told to try again later", peer, entry.id(), e.toString(), e);
            keepForAdmin(entry, "handling failed: " + e);
            answers = List.of(SmtpReply.of(451, "4.3.0", "Local error in processing; try again later"));
        }
        if (settings.lmtp()) {
            for (int i = 0; i < recipients.size(); i++) write(answers.get(Math.min(i, answers.size() - 1)));
        } else {
            // one answer for all: when the next hop took the mail for some recipients it is ours (MailHandler kept
            // the rest for the administrator); a refusal here would have the client bounce a delivered mail
            write(answers.stream().filter(SmtpReply::positive).findFirst().orElse(answers.getFirst()));
        }
        reset();
    }

    /** A mail whose handling broke off stays no longer in processing/: failed/ keeps it (the client resends it). */
    private void keepForAdmin(SpoolEntry entry, String why) {
        if (!java.nio.file.Files.exists(entry.file())) return; // the handler had moved it already
        try {
            spool.fail(entry, why);
        } catch (IOException e) {
            log.error("detective id={}: cannot move the mail to {} either: {}", entry.id(), spool.failedDir(), e.toString());
        }
    }

    private void answerAll(SmtpReply r) throws IOException {
        for (int i = 0; i < (settings.lmtp() ? recipients.size() : 1); i++) write(r);
    }

    private String peerAddress() {
        return socket.getInetAddress() == null ? "" : socket.getInetAddress().getHostAddress();
    }

    private void reset() {
        screening = EnvelopeGate.Screening.NONE;
        rcptRefused = false;
        sender = null;
        senderParams = "";
        recipients.clear();
        xforward.clear();
    }

    /** {@code FROM:<a@b> PARAMS}: the address (without brackets) and the parameters; null on a syntax error. */
    record Path(String address, String params) {}

    static Path path(String arg, String prefix) {
        if (!arg.regionMatches(true, 0, prefix, 0, prefix.length())) return null;
        String rest = arg.substring(prefix.length()).strip();
        if (rest.startsWith("<")) {
            int close = rest.indexOf('>');
            if (close < 0) return null;
            return new Path(rest.substring(1, close), rest.substring(close + 1).strip());
        }
        int space = rest.indexOf(' ');
        String address = space < 0 ? rest : rest.substring(0, space);
        return address.isEmpty() ? null : new Path(address, space < 0 ? "" : rest.substring(space + 1).strip());
    }

    /** The value of ESMTP parameter {@code name} in {@code params}, or null. */
    static String param(String params, String name) {
        for (String p : params.split("\\s+")) {
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            if (key.equalsIgnoreCase(name)) return eq < 0 ? "" : p.substring(eq + 1);
        }
        return null;
    }

    private void reply(int code, String status, String text) throws IOException {
        write(SmtpReply.of(code, status, text));
    }

    private void write(SmtpReply r) throws IOException {
        out.write((r.render() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void flush() throws IOException {
        out.flush();
    }

    private void tryReply(int code, String status, String text) {
        try {
            reply(code, status, text);
            flush();
        } catch (IOException e) {
            // the client is gone anyway
        }
    }

    boolean esmtp() {
        return esmtp;
    }
}
