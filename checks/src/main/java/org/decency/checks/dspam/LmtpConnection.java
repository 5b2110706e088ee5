package org.decency.checks.dspam;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One connection to DSPAM's server speaking DLMTP, DSPAM's LMTP dialect (DSPAM's README,
 * "Client/Server Mode" and "LMTP"): the greeting, {@code LHLO <relay>}, then any number
 * of transactions, each {@code MAIL FROM:<password@relay> DSPAMPROCESSMODE="<arguments>"},
 * {@code RCPT TO:<user>}, {@code DATA} and the mail. DSPAM asks for the password again in
 * every transaction, and takes the next MAIL FROM once it has answered, so a connection
 * serves one mail after another. Blocking; one thread at a time.
 */
final class LmtpConnection implements AutoCloseable {
    /** Longer lines from the server are not DSPAM's. */
    static final int MAX_LINE = 65536;
    /** Output lines kept of one answer; the rest is read and dropped (the summary is one line). */
    static final int MAX_OUTPUT_LINES = 2000;
    private static final int MAX_REPLY_LINES = 100;

    private final DspamEndpoint endpoint;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean aborted;
    private long idleSince = System.nanoTime();

    private LmtpConnection(DspamEndpoint endpoint, SocketChannel channel) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 65536);
    }

    /**
     * Connects and greets: the server must answer LHLO with DSPAMPROCESSMODE, i.e. speak
     * DLMTP to us. A server in ServerMode standard would ignore our arguments and deliver
     * the mail itself; it is refused.
     */
    static LmtpConnection open(DspamEndpoint endpoint, ClientIdent ident, ExchangeTimer timer) throws IOException {
        SocketChannel ch = endpoint.channel();
        LmtpConnection c = new LmtpConnection(endpoint, ch);
        timer.watch(c);
        try {
            try {
                endpoint.connect(ch);
            } catch (IOException e) {
                if (timer.expired()) throw e;
                throw new DspamException("cannot connect: " + why(e), e);
            }
            LmtpReply greeting = c.readReply("the greeting");
            if (greeting.code() != 220) throw new DspamException("greeted with " + greeting.brief() + " instead of 220");
            LmtpReply lhlo = c.command("LHLO " + ident.relay(), "LHLO");
            if (lhlo.code() != 250) throw new DspamException("LHLO answered with " + lhlo.brief());
            boolean dlmtp = lhlo.texts().stream().anyMatch(t -> t.strip().toUpperCase(Locale.ROOT).startsWith("DSPAMPROCESSMODE"));
            if (!dlmtp) {
                throw new DspamException("the server does not offer DSPAMPROCESSMODE after LHLO " + ident.relay()
                        + ": it speaks plain LMTP and would deliver the mail itself; set ServerMode dspam (or auto) and ServerPass."
                        + ident.relay() + " in dspam.conf");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * One transaction: DSPAM processes the mail from {@code mail} for {@code user} with
     * the arguments {@code mode}, and its answer comes back.
     *
     * @param reused true for a connection from the pool: when its first command finds it
     *               closed by the server, {@link DspamException.Stale} says so, and nothing
     *               of this transaction reached DSPAM
     */
    DspamAnswer transaction(ClientIdent ident, String mode, String user, MailSource mail, boolean reused) throws IOException {
        LmtpReply from;
        try {
            from = command("MAIL FROM:<" + ident.address() + "> DSPAMPROCESSMODE=\"" + mode + "\"", "MAIL FROM");
        } catch (IOException e) {
            if (reused && !aborted) throw new DspamException.Stale("the kept connection was closed: " + why(e), e);
            throw e;
        }
        if (reused && from.code() == 421) throw new DspamException.Stale("the kept connection was closed: " + from.brief(), null);
        if (from.code() != 250) {
            throw new DspamException("refused MAIL FROM (is " + ident + " in dspam.conf as ServerPass." + ident.relay() + "?): "
                    + from.brief());
        }
        LmtpReply rcpt = command("RCPT TO:<" + user + ">", "RCPT TO");
        if (rcpt.code() != 250) throw new DspamException("refused the user " + user + ": " + rcpt.brief());
        LmtpReply data = command("DATA", "DATA");
        if (data.code() != 354) throw new DspamException("refused DATA: " + data.brief());
        try (InputStream m = mail.open()) {
            DotStuffing d = new DotStuffing(out);
            m.transferTo(d);
            d.finish();
        }
        DspamAnswer answer = readAnswer();
        idleSince = System.nanoTime();
        return answer;
    }

    /** Nanos ({@link System#nanoTime}) since the last transaction ended. */
    long idleNanos() {
        return System.nanoTime() - idleSince;
    }

    /** After the data: DSPAM's output up to a lone dot, or one reply. */
    private DspamAnswer readAnswer() throws IOException {
        String first = readLine("its answer");
        if (LmtpReply.looksLikeReply(first)) return DspamAnswer.of(readReply(first, "its answer"));
        List<String> output = new ArrayList<>();
        String line = first;
        while (!line.equals(".")) {
            if (output.size() < MAX_OUTPUT_LINES) output.add(line.startsWith("..") ? line.substring(1) : line);
            line = readLine("its answer");
        }
        return DspamAnswer.of(output);
    }

    private LmtpReply command(String line, String what) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
        return readReply("the reply to " + what);
    }

    private LmtpReply readReply(String what) throws IOException {
        return readReply(readLine(what), what);
    }

    private LmtpReply readReply(String first, String what) throws IOException {
        List<String> lines = new ArrayList<>(2);
        String line = first;
        while (true) {
            if (!LmtpReply.looksLikeReply(line)) throw new DspamException("not an LMTP reply in " + what + ": \"" + Printable.cut(line, 120) + "\"");
            if (!lines.isEmpty() && LmtpReply.codeOf(line) != LmtpReply.codeOf(lines.getFirst())) {
                throw new DspamException("a reply changed its code midway in " + what + ": \"" + Printable.cut(line, 120) + "\"");
            }
            lines.add(line);
            if (!LmtpReply.continues(line)) return new LmtpReply(LmtpReply.codeOf(line), lines);
            if (lines.size() >= MAX_REPLY_LINES) throw new DspamException("a reply of more than " + MAX_REPLY_LINES + " lines in " + what);
            line = readLine(what);
        }
    }

    /** A line without its CRLF (or bare LF). */
    private String readLine(String what) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) throw new DspamException("the server closed the connection before " + what);
            if (c == '\n') break;
            if (b.size() >= MAX_LINE) throw new DspamException("a line longer than " + MAX_LINE + " bytes in " + what);
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Closes at once, from any thread: what blocks on this connection fails. */
    void abort() {
        aborted = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    boolean aborted() {
        return aborted;
    }

    /** Says goodbye (QUIT, not waiting for the reply) and closes. */
    @Override
    public void close() {
        if (!aborted && channel.isOpen()) {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // going anyway
            }
        }
        abort();
    }

    @Override
    public String toString() {
        return "DSPAM at " + endpoint;
    }

    /** An exception in words: the JDK's message, or its kind when it has none. */
    static String why(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The mail to send, opened when the transaction gets to DATA. */
    @FunctionalInterface
    interface MailSource {
        InputStream open() throws IOException;
    }
}
