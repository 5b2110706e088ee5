package org.decency.checks.deepdnsbl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.checks.support.PublicAddresses;
import org.decency.core.IpAddress;
import org.decency.message.HeaderField;
import org.decency.message.MailMessage;

/**
 * The addresses of the hosts a mail came through, from its Received fields, newest
 * (top) first, each once, public addresses only (see {@link PublicAddresses}: no
 * private, loopback, link-local, unique-local, documentation or reserved address is
 * worth a question). Of each field only the {@code from} clause counts, and in it the
 * address the receiving host saw: an address literal in brackets inside the comment
 * ({@code from helo (rdns [192.0.2.1])}, Postfix, Sendmail), else a bracketed literal
 * anywhere ({@code from [192.0.2.1]}, Exim), else a bare address in parentheses
 * ({@code (192.0.2.1)}, qmail, Exchange). A HELO name that looks like an address is
 * what the client claimed, not where it was, and is not taken.
 */
final class ReceivedIps {
    /** A hostile mail may carry thousands: only the first ones are read. */
    static final int MAX_FIELDS = 100;

    private static final Pattern FROM = Pattern.compile("(?is)^\\s*from\\s+(.*)");
    private static final Pattern BRACKETED = Pattern.compile("\\[(?i:IPv6:)?([0-9A-Fa-f:.]{2,45})\\]");
    private static final Pattern PARENTHESIZED = Pattern.compile("\\(\\s*(?i:IPv6:)?([0-9A-Fa-f:.]{2,45})\\s*\\)");

    private ReceivedIps() {}

    static List<IpAddress> of(MailMessage mail) {
        Set<IpAddress> out = new LinkedHashSet<>();
        int n = 0;
        for (HeaderField f : mail.headers()) {
            if (!f.is("Received")) continue;
            if (++n > MAX_FIELDS) break;
            from(f.value()).filter(PublicAddresses::isPublic).ifPresent(out::add);
        }
        return new ArrayList<>(out);
    }

    /** The address in the {@code from} clause of one Received value. */
    static Optional<IpAddress> from(String received) {
        Matcher m = FROM.matcher(received);
        if (!m.matches()) return Optional.empty();
        String clause = fromClause(m.group(1));
        Optional<IpAddress> ip = first(BRACKETED, insideParentheses(clause));
        if (ip.isEmpty()) ip = first(BRACKETED, clause);
        if (ip.isEmpty()) ip = first(PARENTHESIZED, clause);
        return ip;
    }

    /** The text up to the {@code by} (or {@code with}, {@code id}, {@code for}, {@code ;}) outside parentheses. */
    private static String fromClause(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth = Math.max(0, depth - 1);
            else if (depth == 0 && (c == ';' || keywordAt(s, i))) return s.substring(0, i);
        }
        return s;
    }

    private static boolean keywordAt(String s, int i) {
        if (i == 0 || !Character.isWhitespace(s.charAt(i - 1))) return false;
        for (String k : new String[] {"by", "with", "id", "for", "via"}) {
            int end = i + k.length();
            if (s.regionMatches(true, i, k, 0, k.length()) && (end == s.length() || Character.isWhitespace(s.charAt(end)))) return true;
        }
        return false;
    }

    /** The parts of {@code s} inside parentheses, joined by spaces. */
    private static String insideParentheses(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') {
                depth = Math.max(0, depth - 1);
                b.append(' ');
            } else if (depth > 0) b.append(c);
        }
        return b.toString();
    }

    private static Optional<IpAddress> first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        while (m.find()) {
            Optional<IpAddress> ip = IpAddress.parse(m.group(1));
            if (ip.isPresent()) return ip;
        }
        return Optional.empty();
    }
}
