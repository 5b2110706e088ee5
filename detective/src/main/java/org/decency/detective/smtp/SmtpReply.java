package org.decency.detective.smtp;

/**
 * One SMTP reply: code, enhanced status code (RFC 3463) and text, written
 * {@code 250 2.0.0 Ok}.
 */
public record SmtpReply(int code, String status, String text) {

    public static final SmtpReply OK = new SmtpReply(250, "2.0.0", "Ok");

    public static SmtpReply of(int code, String status, String text) {
        return new SmtpReply(code, status, text);
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean temporary() {
        return code >= 400 && code < 500;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** The reply line(s) without the final CRLF; a text with line breaks becomes a multi-line reply. */
    public String render() {
        String[] lines = text.replace("\r", "").split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) b.append("\r\n");
            b.append(code).append(i == lines.length - 1 ? ' ' : '-');
            if (status != null && !status.isEmpty()) b.append(status).append(' ');
            b.append(lines[i]);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
