package org.decency.checks.dspam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DSPAM's verdict on a mail, read from its answer in any of the forms DSPAM writes it:
 *
 * <ul>
 *   <li>the summary line of {@code --deliver=summary} or {@code --classify} (dspam(1)):
 *       {@code X-DSPAM-Result: bob; result="Spam"; class="Spam"; probability=0.9999;
 *       confidence=0.80; signature=N/A} ({@code class} and {@code signature} are missing
 *       in older versions);</li>
 *   <li>the header fields of a mail passed through with {@code --stdout}:
 *       {@code X-DSPAM-Result: Whitelisted}, {@code X-DSPAM-Probability},
 *       {@code X-DSPAM-Confidence}, {@code X-DSPAM-Signature}, maybe after DSPAM's own
 *       {@code X-Daemon-Classification: SPAM} line;</li>
 *   <li>the per-recipient reply of DLMTP without output:
 *       {@code 250 2.6.0 <bob> Message accepted for delivery: SPAM}.</li>
 * </ul>
 *
 * Anything else, an unknown class, a probability that is no number from 0 to 1, or a
 * 4xx/5xx reply, is a {@link DspamException}: the module's failure path, never a guess.
 *
 * @param spam        DSPAM's result: spam (also Blacklisted, Blocklisted, Virus) or not (Innocent, Whitelisted)
 * @param result      {@code Spam} or {@code Innocent}
 * @param dspamClass  DSPAM's class when it says more than the result ({@code Whitelisted}, {@code Virus}), else ""
 * @param probability 0 to 1, NaN when DSPAM did not say
 * @param confidence  0 to 1, NaN when DSPAM did not say
 * @param signature   DSPAM's signature id, "" when none
 */
record DspamVerdict(boolean spam, String result, String dspamClass, double probability, double confidence, String signature) {

    private static final Set<String> SPAM_CLASSES = Set.of("spam", "blacklisted", "blocklisted", "virus");
    private static final Set<String> HAM_CLASSES = Set.of("innocent", "whitelisted");
    private static final String RESULT = "x-dspam-result";

    /** The verdict in {@code answer}; throws when there is none or it is broken. */
    static DspamVerdict of(DspamAnswer answer) throws DspamException {
        if (answer.status() != null) return ofStatus(answer.status());
        Map<String, String> fields = headerFields(answer.output());
        String value = fields.get(RESULT);
        if (value != null) return value.contains("=") ? ofSummary(value) : ofFields(value, fields);
        String daemon = fields.get("x-daemon-classification");
        if (daemon != null) return ofClass(daemon, "", Double.NaN, Double.NaN, "");
        String first = answer.output().isEmpty() ? "nothing" : "\"" + Printable.cut(answer.output().getFirst(), 120) + "\"";
        throw new DspamException("no X-DSPAM-Result in DSPAM's answer (it began with " + first + ")");
    }

    /** A detail for the score: {@code Result: Spam, probability 0.99, confidence 0.80}. */
    String detail() {
        StringBuilder b = new StringBuilder("Result: ").append(result);
        if (!dspamClass.isEmpty()) b.append(" (").append(dspamClass).append(')');
        if (!Double.isNaN(probability)) b.append(", probability ").append(String.format(Locale.ROOT, "%.2f", probability));
        if (!Double.isNaN(confidence)) b.append(", confidence ").append(String.format(Locale.ROOT, "%.2f", confidence));
        return b.toString();
    }

    private static DspamVerdict ofStatus(LmtpReply status) throws DspamException {
        if (!status.positive()) throw new DspamException("DSPAM refused the mail: " + status.brief());
        String text = status.texts().getLast();
        int colon = text.lastIndexOf(':');
        if (colon < 0) throw new DspamException("DSPAM's reply names no class: " + status.brief());
        return ofClass(text.substring(colon + 1), "", Double.NaN, Double.NaN, "");
    }

    /** {@code bob; result="Spam"; class="Spam"; probability=0.9999; confidence=0.80; signature=...}. */
    private static DspamVerdict ofSummary(String value) throws DspamException {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue; // the user's name
            pairs.putIfAbsent(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), unquote(part.substring(eq + 1).strip()));
        }
        String result = pairs.get("result");
        if (result == null) throw new DspamException("DSPAM's summary has no result: \"" + Printable.cut(value, 120) + "\"");
        boolean spam = switch (result.toLowerCase(Locale.ROOT)) {
            case "spam" -> true;
            case "innocent" -> false;
            default -> throw new DspamException("unknown DSPAM result \"" + Printable.cut(result, 40) + "\"");
        };
        String klass = pairs.getOrDefault("class", "");
        return new DspamVerdict(spam, spam ? "Spam" : "Innocent", moreThan(klass, spam), number(pairs.get("probability"), "probability"),
                number(pairs.get("confidence"), "confidence"), signature(pairs.get("signature")));
    }

    /** {@code X-DSPAM-Result: Whitelisted} with its neighbours {@code X-DSPAM-Probability} and so on. */
    private static DspamVerdict ofFields(String value, Map<String, String> fields) throws DspamException {
        return ofClass(value, fields.getOrDefault("x-dspam-class", ""), number(fields.get("x-dspam-probability"), "probability"),
                number(fields.get("x-dspam-confidence"), "confidence"), signature(fields.get("x-dspam-signature")));
    }

    private static DspamVerdict ofClass(String word, String otherClass, double probability, double confidence, String signature)
            throws DspamException {
        String w = word.strip();
        String lower = w.toLowerCase(Locale.ROOT);
        boolean spam;
        if (SPAM_CLASSES.contains(lower)) spam = true;
        else if (HAM_CLASSES.contains(lower)) spam = false;
        else throw new DspamException("unknown DSPAM class \"" + Printable.cut(w, 40) + "\"");
        String klass = moreThan(w, spam);
        if (klass.isEmpty()) klass = moreThan(otherClass, spam);
        return new DspamVerdict(spam, spam ? "Spam" : "Innocent", klass, probability, confidence, signature);
    }

    /** The class when it says more than the result ({@code Whitelisted}); "" for {@code Spam}, {@code Innocent} or nothing. */
    private static String moreThan(String klass, boolean spam) {
        String k = klass == null ? "" : klass.strip();
        if (k.isEmpty() || k.equalsIgnoreCase(spam ? "spam" : "innocent")) return "";
        StringBuilder b = new StringBuilder();
        for (char c : k.toCharArray()) if (Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_') b.append(c);
        return Printable.cut(b.toString(), 40);
    }

    /** A probability or confidence: a number from 0 to 1; NaN when missing; anything else is broken. */
    private static double number(String text, String what) throws DspamException {
        if (text == null || text.isBlank()) return Double.NaN;
        try {
            double d = Double.parseDouble(unquote(text.strip()));
            if (d >= 0 && d <= 1) return d;
        } catch (NumberFormatException e) {
            // below
        }
        throw new DspamException("DSPAM's " + what + " is not a number from 0 to 1: \"" + Printable.cut(text, 40) + "\"");
    }

    private static String signature(String text) {
        if (text == null) return "";
        String s = text.strip();
        return s.equalsIgnoreCase("N/A") ? "" : Printable.cut(s, 100);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * The header fields at the start of the output, lower-cased names, the first of each
     * name; up to the first empty line (the body of a mail passed through with
     * {@code --stdout} is not looked at). Folded fields are unfolded.
     */
    private static Map<String, String> headerFields(List<String> output) {
        Map<String, String> fields = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : output) {
            if (line.isEmpty()) break;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) fields.putIfAbsent(name, value.toString().strip());
            name = null;
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            value.setLength(0);
            value.append(line.substring(colon + 1));
        }
        if (name != null) fields.putIfAbsent(name, value.toString().strip());
        return fields;
    }
}
