package org.decency.checks.spf;

import java.util.regex.Pattern;

/** The Received-SPF header field of RFC 7208 §9.1 for a verdict, with the why in its comment. */
public final class ReceivedSpf {
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private ReceivedSpf() {}

    /**
     * {@code Received-SPF: fail (receiver: why) client-ip=...; envelope-from=...; helo=...; receiver=...; identity=...;}
     *
     * @param envelopeFrom the MAIL FROM address as given (empty for a bounce)
     */
    public static String header(SpfVerdict v, SpfRequest r, String envelopeFrom, String receiver) {
        String ip = IpText.readable(r.ip());
        String who = r.identity() == SpfIdentity.HELO ? r.startDomain() : r.sender();
        String sentence = switch (v.result()) {
            case PASS -> "domain of " + who + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + who + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + who + " does not designate " + ip + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + who;
            case NONE -> "domain of " + who + " does not designate permitted sender hosts";
            case PERMERROR -> "permanent error in processing domain of " + who;
            case TEMPERROR -> "temporary error in processing during lookup of " + who;
        };
        String comment = receiver + ": " + sentence + (v.why().isEmpty() ? "" : "; " + v.why());
        return "Received-SPF: " + v.result().word() + " (" + commentText(comment) + ")"
                + " client-ip=" + ip + ";"
                + " envelope-from=" + value(envelopeFrom) + ";"
                + " helo=" + value(r.helo()) + ";"
                + " receiver=" + value(receiver) + ";"
                + " identity=" + r.identity().key() + ";";
    }

    /** A dot-atom as it is, anything else as a quoted-string. */
    static String value(String s) {
        if (DOT_ATOM.matcher(s).matches()) return s;
        return "\"" + printable(s).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Text a comment can carry: no parentheses or backslashes, printable ASCII only. */
    private static String commentText(String s) {
        return printable(s).replace('(', '[').replace(')', ']').replace('\\', '/');
    }

    /** Printable ASCII, with "?" for anything else (a reply or header line must stay one line). */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) out.append(c >= ' ' && c <= '~' ? c : '?');
        return out.toString();
    }
}
