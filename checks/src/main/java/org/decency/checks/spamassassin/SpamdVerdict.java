package org.decency.checks.spamassassin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SpamAssassin thinks of a mail, read from spamd's answer to SYMBOLS or REPORT: the
 * header {@code Spam: True ; 7.2 / 5.0} (is spam; score; required score) and the rules that
 * hit, from the SYMBOLS body ({@code GTUBE,MISSING_DATE}) or from the table of the REPORT
 * body, with their points ({@code GTUBE=1000.0}).
 *
 * @param score     SpamAssassin's score: positive is spam, the other way round from Decency's
 * @param scoreText the score and the required score as spamd wrote them, for the detail
 * @param tests     the rules that hit, as {@code NAME} or {@code NAME=points}
 */
record SpamdVerdict(boolean spam, double score, String scoreText, String requiredText, List<String> tests) {

    /** A number as spamd writes scores; no exponents, no NaN or Infinity a peer might send. */
    private static final String NUMBER = "-?\\d{1,7}(?:\\.\\d{1,6})?";
    private static final Pattern SPAM = Pattern.compile("(?i)(true|false|yes|no)[ \\t]*;[ \\t]*(" + NUMBER + ")[ \\t]*/[ \\t]*(" + NUMBER + ")");
    static final Pattern RULE = Pattern.compile("[A-Za-z0-9_]{1,100}");
    private static final Pattern REPORT_LINE = Pattern.compile("[ \\t]*(" + NUMBER + ")[ \\t]+([A-Za-z0-9_]{1,100})(?:[ \\t].*)?");
    private static final int MAX_DETAIL_TESTS = 900;

    /**
     * The verdict of an answer to SYMBOLS ({@code report} false) or REPORT.
     *
     * @throws IOException the answer lacks a well-formed {@code Spam:} header or the SYMBOLS body is not a rule list
     */
    static SpamdVerdict of(SpamdReply reply, boolean report) throws IOException {
        String header = reply.header("Spam");
        if (header == null) throw new IOException("spamd's answer has no Spam: header");
        Matcher m = SPAM.matcher(header);
        if (!m.matches()) throw new IOException("spamd's answer has a bad Spam: header: \"" + SpamdReply.printable(header, 80) + "\"");
        boolean spam = m.group(1).equalsIgnoreCase("true") || m.group(1).equalsIgnoreCase("yes");
        List<String> tests = report ? reportTests(reply.body()) : symbols(reply.body());
        return new SpamdVerdict(spam, Double.parseDouble(m.group(2)), unsigned0(m.group(2)), unsigned0(m.group(3)), tests);
    }

    /** {@code -0.0} (SpamAssassin's rounding of -0.001) as {@code 0.0}. */
    private static String unsigned0(String number) {
        return number.startsWith("-") && Double.parseDouble(number) == 0 ? number.substring(1) : number;
    }

    private static List<String> symbols(String body) throws IOException {
        List<String> names = new ArrayList<>();
        String b = body.strip();
        if (b.isEmpty()) return names;
        for (String t : b.split(",")) {
            String name = t.strip();
            if (!RULE.matcher(name).matches()) {
                throw new IOException("spamd's answer to SYMBOLS is not a list of rules: \"" + SpamdReply.printable(name, 80) + "\"");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * The rules of REPORT's table ({@code  pts rule name  description}, under a line of
     * dashes; descriptions may go on over several lines). The text around it is the site's
     * report template: what is not a table line is left alone.
     */
    private static List<String> reportTests(String body) {
        List<String> tests = new ArrayList<>();
        boolean inTable = false;
        for (String line : body.split("\r?\n")) {
            if (line.startsWith("----")) {
                inTable = true;
                continue;
            }
            if (!inTable) continue;
            Matcher m = REPORT_LINE.matcher(line);
            if (m.matches()) tests.add(m.group(2) + "=" + m.group(1));
        }
        return tests;
    }

    /** {@code Yes, score=7.2 required=5.0 tests=GTUBE,MISSING_DATE}, as SpamAssassin's X-Spam-Status says it. */
    String status() {
        String list = tests.isEmpty() ? "none" : String.join(",", tests);
        if (list.length() > MAX_DETAIL_TESTS) list = list.substring(0, list.lastIndexOf(',', MAX_DETAIL_TESTS) + 1) + "...";
        return (spam ? "Yes" : "No") + ", score=" + scoreText + " required=" + requiredText + " tests=" + list;
    }
}
