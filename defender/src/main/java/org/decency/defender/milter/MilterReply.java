package org.decency.defender.milter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A reply to the MTA: a decision (continue, accept, reject, tempfail, discard, skip, a
 * reply code with text), or at the end of the body a modification (header, recipient,
 * body, quarantine) before the decision. Strings are wire strings (see
 * {@link MilterCommand}); {@link Wire#of} makes one from a text. What could break the
 * protocol or the mail (a NUL, a line break that would end a header field early, a
 * header name with a colon) is rejected or neutralised when the reply is made.
 */
public sealed interface MilterReply {

    MilterReply CONTINUE = new Decision(Milter.SMFIR_CONTINUE);
    MilterReply ACCEPT = new Decision(Milter.SMFIR_ACCEPT);
    MilterReply REJECT = new Decision(Milter.SMFIR_REJECT);
    MilterReply TEMPFAIL = new Decision(Milter.SMFIR_TEMPFAIL);
    MilterReply DISCARD = new Decision(Milter.SMFIR_DISCARD);
    MilterReply SKIP = new Decision(Milter.SMFIR_SKIP);
    MilterReply PROGRESS = new Decision(Milter.SMFIR_PROGRESS);

    /** The most bytes of text on one line of a reply (an SMTP reply line is at most 512 with code and CRLF). */
    int MAX_REPLY_LINE = 440;
    /** The most lines of a multi-line reply. */
    int MAX_REPLY_LINES = 20;

    /** The reply code byte ({@code SMFIR_*}). */
    byte code();

    /** The data after the code byte. */
    byte[] data();

    /** True for a reply that ends a step (the MTA waits for one); false for a modification or quarantine. */
    default boolean decides() {
        return true;
    }

    /** The whole packet: length, code byte, data. */
    default byte[] encode() {
        byte[] d = data();
        int n = d.length + 1;
        byte[] out = new byte[n + 4];
        out[0] = (byte) (n >>> 24);
        out[1] = (byte) (n >>> 16);
        out[2] = (byte) (n >>> 8);
        out[3] = (byte) n;
        out[4] = code();
        System.arraycopy(d, 0, out, 5, d.length);
        return out;
    }

    /** A decision without data: continue, accept, reject, tempfail, discard, skip, progress. */
    record Decision(byte code) implements MilterReply {
        @Override
        public byte[] data() {
            return new byte[0];
        }

        @Override
        public boolean decides() {
            return code != Milter.SMFIR_PROGRESS;
        }
    }

    /**
     * {@code SMFIR_REPLYCODE}: the SMTP reply the client hears, e.g. {@code 554 5.7.1 Spam},
     * made by {@link #reply}: several lines are joined as SMTP continuation lines.
     */
    record ReplyCode(String text) implements MilterReply {
        public ReplyCode {
            if (text == null || !text.matches("(?s)[45]\\d\\d([ -].*)?") || text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not an SMTP reply for a milter: " + text);
            }
        }

        @Override
        public byte code() {
            return Milter.SMFIR_REPLYCODE;
        }

        @Override
        public byte[] data() {
            return cstrings(text);
        }

        /** The reply code, 400 to 599. */
        public int smtpCode() {
            return Integer.parseInt(text.substring(0, 3));
        }
    }

    /** {@code SMFIR_QUARANTINE}: the MTA holds the mail (Postfix: the hold queue), with a reason. */
    record Quarantine(String reason) implements MilterReply {
        public Quarantine {
            reason = oneLine(reason);
        }

        @Override
        public byte code() {
            return Milter.SMFIR_QUARANTINE;
        }

        @Override
        public byte[] data() {
            return cstrings(reason);
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_ADDHEADER}: a field appended to the header. */
    record AddHeader(String name, String value) implements MilterReply {
        public AddHeader {
            name = fieldName(name);
            value = fieldValue(value);
        }

        @Override
        public byte code() {
            return Milter.SMFIR_ADDHEADER;
        }

        @Override
        public byte[] data() {
            return cstrings(name, value);
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_INSHEADER}: a field inserted before the {@code index}-th field (0: on top). */
    record InsertHeader(int index, String name, String value) implements MilterReply {
        public InsertHeader {
            if (index < 0) throw new IllegalArgumentException("header index below 0: " + index);
            name = fieldName(name);
            value = fieldValue(value);
        }

        @Override
        public byte code() {
            return Milter.SMFIR_INSHEADER;
        }

        @Override
        public byte[] data() {
            return withIndex(index, cstrings(name, value));
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_CHGHEADER}: the {@code index}-th field of that name (from 1) gets a new value; an empty value deletes it. */
    record ChangeHeader(int index, String name, String value) implements MilterReply {
        public ChangeHeader {
            if (index < 1) throw new IllegalArgumentException("header index below 1: " + index);
            name = fieldName(name);
            value = fieldValue(value);
        }

        /** Deletes the {@code index}-th field called {@code name}. */
        public static ChangeHeader delete(int index, String name) {
            return new ChangeHeader(index, name, "");
        }

        @Override
        public byte code() {
            return Milter.SMFIR_CHGHEADER;
        }

        @Override
        public byte[] data() {
            return withIndex(index, cstrings(name, value));
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_ADDRCPT}: a recipient added ({@code <a@b>}). */
    record AddRecipient(String address) implements MilterReply {
        public AddRecipient {
            address = recipientAddress(address);
        }

        @Override
        public byte code() {
            return Milter.SMFIR_ADDRCPT;
        }

        @Override
        public byte[] data() {
            return cstrings(address);
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_DELRCPT}: a recipient removed, written as the MTA gave it. */
    record DeleteRecipient(String address) implements MilterReply {
        public DeleteRecipient {
            address = recipientAddress(address);
        }

        @Override
        public byte code() {
            return Milter.SMFIR_DELRCPT;
        }

        @Override
        public byte[] data() {
            return cstrings(address);
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIR_REPLBODY}: one chunk of the new body (CRLF line ends); the chunks in order make the whole body. */
    record ReplaceBody(byte[] chunk) implements MilterReply {
        public ReplaceBody {
            if (chunk.length > Milter.CHUNK_SIZE) throw new IllegalArgumentException("a body chunk holds at most " + Milter.CHUNK_SIZE + " bytes");
        }

        @Override
        public byte code() {
            return Milter.SMFIR_REPLBODY;
        }

        @Override
        public byte[] data() {
            return chunk;
        }

        @Override
        public boolean decides() {
            return false;
        }
    }

    /** {@code SMFIC_OPTNEG} back to the MTA: the version we speak, the modifications we may ask for, the steps we want. */
    /**
     * The filter's side of the option negotiation; {@code macros}: the macro names wanted at
     * each stage ({@link Milter#SMFIM_CONNECT}, ...), space-separated (protocol 6, with
     * {@link Milter#SMFIF_SETSYMLIST} among the actions).
     */
    record OptNeg(int version, int actions, int protocol, java.util.SortedMap<Integer, String> macros) implements MilterReply {
        public OptNeg(int version, int actions, int protocol) {
            this(version, actions, protocol, java.util.Collections.emptySortedMap());
        }

        @Override
        public byte code() {
            return Milter.SMFIC_OPTNEG;
        }

        @Override
        public byte[] data() {
            java.io.ByteArrayOutputStream d = new java.io.ByteArrayOutputStream(64);
            byte[] word = new byte[4];
            for (int v : new int[] {version, actions, protocol}) {
                putInt(word, 0, v);
                d.writeBytes(word);
            }
            macros.forEach((stage, names) -> {
                putInt(word, 0, stage);
                d.writeBytes(word);
                d.writeBytes(names.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                d.write(0);
            });
            return d.toByteArray();
        }
    }

    /**
     * An SMTP reply: {@code code} 400..599, {@code status} an enhanced status code of the
     * same class ({@code 5.7.1}; a missing or mismatching one becomes {@code <class>.7.1}),
     * {@code text} one or more lines (split at line breaks). Characters other than printable
     * ASCII become {@code ?}, a {@code %} is doubled (libmilter reads the reply as a format
     * string, Postfix undoes the doubling), lines are cut at {@link #MAX_REPLY_LINE} and at
     * most {@link #MAX_REPLY_LINES} are kept.
     */
    static ReplyCode reply(int code, String status, String text) {
        if (code < 400 || code > 599) throw new IllegalArgumentException("a milter reply code is 4xx or 5xx, not " + code);
        char cls = (char) ('0' + code / 100);
        String st = status == null ? "" : status.strip();
        if (!st.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") || st.charAt(0) != cls) st = cls + ".7.1";
        List<String> lines = new ArrayList<>();
        for (String l : (text == null ? "" : text).split("\r\n|\r|\n", -1)) {
            if (lines.size() == MAX_REPLY_LINES) break;
            lines.add(clean(l));
        }
        while (lines.size() > 1 && lines.getLast().isEmpty()) lines.removeLast();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) b.append("\r\n");
            b.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(st);
            if (!lines.get(i).isEmpty()) b.append(' ').append(lines.get(i));
        }
        return new ReplyCode(b.toString());
    }

    /** Parses a literal reply {@code "450 4.7.1 text"} or {@code "554 text"} as checks give them; null when it is none. */
    static ReplyCode parse(String literal) {
        if (literal == null || !literal.matches("(?s)[45]\\d\\d([ -].*)?")) return null;
        int code = Integer.parseInt(literal.substring(0, 3));
        String rest = literal.length() > 4 ? literal.substring(4).strip() : "";
        String status = "";
        int sp = rest.indexOf(' ');
        String first = sp < 0 ? rest : rest.substring(0, sp);
        if (first.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            status = first;
            rest = sp < 0 ? "" : rest.substring(sp + 1).strip();
        }
        return reply(code, status, rest);
    }

    private static String clean(String line) {
        StringBuilder b = new StringBuilder(Math.min(line.length(), MAX_REPLY_LINE) + 8);
        int chars = 0;
        for (int i = 0; i < line.length() && chars < MAX_REPLY_LINE; i++, chars++) {
            char c = line.charAt(i);
            if (c == '%') b.append("%%");
            else b.append(c < 0x20 || c > 0x7e ? (c == '\t' ? ' ' : '?') : c);
        }
        return b.toString().strip();
    }

    private static String oneLine(String s) {
        return (s == null ? "" : s).replace('\0', ' ').replaceAll("[\r\n]+", " ");
    }

    private static String fieldName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a header field needs a name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') throw new IllegalArgumentException("not a header field name: \"" + name + "\"");
        }
        return name;
    }

    /**
     * A header value as the milter protocol carries it: folds as LF followed by white space.
     * A line break not followed by white space would end the field (or the header) early:
     * it becomes a space. NULs become spaces.
     */
    private static String fieldValue(String value) {
        String v = (value == null ? "" : value).replace('\0', ' ');
        v = v.replaceAll("[\r\n]++(?![ \t])", " ");
        return v.replaceAll("[\r\n]+", "\n");
    }

    private static String recipientAddress(String a) {
        if (a == null || a.isBlank()) throw new IllegalArgumentException("an empty recipient address");
        return oneLine(a).strip();
    }

    private static byte[] cstrings(String... wire) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : wire) {
            b.writeBytes(Wire.bytes(s));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static byte[] withIndex(int index, byte[] rest) {
        byte[] d = new byte[rest.length + 4];
        putInt(d, 0, index);
        System.arraycopy(rest, 0, d, 4, rest.length);
        return d;
    }

    private static void putInt(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 24);
        d[at + 1] = (byte) (v >>> 16);
        d[at + 2] = (byte) (v >>> 8);
        d[at + 3] = (byte) v;
    }
}
