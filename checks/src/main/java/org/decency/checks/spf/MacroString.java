package org.decency.checks.spf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A macro-string of RFC 7208 §7.1, parsed once: literal text, the escapes {@code %%},
 * {@code %_}, {@code %-} and macros such as {@code %{ir}} or {@code %{l2r-}}. The letters
 * {@code c}, {@code r}, {@code t} are allowed in explanation text only.
 */
final class MacroString {
    sealed interface Part permits Literal, Macro {}

    /** Literal text; {@code escape} for {@code %%}, {@code %_} and {@code %-} (macro-expands in the grammar). */
    record Literal(String text, boolean escape) implements Part {}

    /**
     * {@code %{<letter><digits><r><delimiters>}}; an upper-case letter asks for URL escaping.
     *
     * @param rightParts 0: all parts
     */
    record Macro(char letter, boolean urlEscape, int rightParts, boolean reverse, String delimiters) implements Part {}

    private static final String LETTERS = "slodipvh";
    private static final String EXPLANATION_LETTERS = "crt";
    private static final String DELIMITERS = ".-+,/_=";

    private final String text;
    private final List<Part> parts;

    private MacroString(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** Parses a domain-spec or modifier value ({@code explanation} false) or explanation text (true). */
    static MacroString parse(String text, boolean explanation) throws SpfSyntaxException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                boolean allowed = (c > ' ' && c <= '~') || (explanation && c == ' ');
                if (!allowed) throw new SpfSyntaxException("character " + describe(c) + " not allowed in \"" + text + "\"");
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) throw new SpfSyntaxException("\"%\" at the end of \"" + text + "\"");
            char next = text.charAt(i + 1);
            String escape = switch (next) {
                case '%' -> "%";
                case '_' -> " ";
                case '-' -> "%20";
                default -> null;
            };
            flush(literal, parts);
            if (escape != null) {
                parts.add(new Literal(escape, true));
                i += 2;
            } else if (next == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) throw new SpfSyntaxException("unterminated macro in \"" + text + "\"");
                parts.add(macro(text.substring(i + 2, close), explanation, text));
                i = close + 1;
            } else {
                throw new SpfSyntaxException("\"%" + next + "\" is no macro in \"" + text + "\"");
            }
        }
        flush(literal, parts);
        return new MacroString(text, parts);
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (literal.isEmpty()) return;
        parts.add(new Literal(literal.toString(), false));
        literal.setLength(0);
    }

    private static Macro macro(String body, boolean explanation, String text) throws SpfSyntaxException {
        if (body.isEmpty()) throw new SpfSyntaxException("empty macro in \"" + text + "\"");
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        boolean known = LETTERS.indexOf(lower) >= 0 || (explanation && EXPLANATION_LETTERS.indexOf(lower) >= 0);
        if (!known || letter > 'z') throw new SpfSyntaxException("unknown macro letter \"" + letter + "\" in \"" + text + "\"");
        int i = 1;
        int digitsStart = i;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') i++;
        int rightParts = 0;
        if (i > digitsStart) {
            String digits = body.substring(digitsStart, i).replaceFirst("^0+(?=.)", "");
            rightParts = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (rightParts == 0) throw new SpfSyntaxException("a macro cannot keep 0 parts: \"" + text + "\"");
        }
        boolean reverse = i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R');
        if (reverse) i++;
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) throw new SpfSyntaxException("\"" + d + "\" is no macro delimiter in \"" + text + "\"");
        }
        return new Macro(lower, Character.isUpperCase(letter), rightParts, reverse, delimiters);
    }

    private static String describe(char c) {
        return c >= ' ' && c <= '~' ? "\"" + c + "\"" : String.format("U+%04X", (int) c);
    }

    /** True when the last part is a macro or an escape: a domain-spec may end so (RFC 7208 §7.1 domain-end). */
    boolean endsInMacro() {
        return !parts.isEmpty() && !(parts.getLast() instanceof Literal l && !l.escape());
    }

    /** The literal text after the last macro or escape. */
    String trailingLiteral() {
        return !parts.isEmpty() && parts.getLast() instanceof Literal l && !l.escape() ? l.text() : "";
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The text with every macro replaced by its value. */
    String expand(MacroContext context) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case Macro m -> out.append(expand(m, context));
            }
        }
        return out.toString();
    }

    private static String expand(Macro m, MacroContext context) {
        String value = context.value(m.letter());
        if (m.rightParts() > 0 || m.reverse() || !m.delimiters().isEmpty()) {
            List<String> labels = split(value, m.delimiters().isEmpty() ? "." : m.delimiters());
            if (m.reverse()) Collections.reverse(labels);
            if (m.rightParts() > 0 && m.rightParts() < labels.size()) {
                labels = labels.subList(labels.size() - m.rightParts(), labels.size());
            }
            value = String.join(".", labels);
        }
        return m.urlEscape() ? urlEscape(value) : value;
    }

    private static List<String> split(String value, String delimiters) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    /** Percent-encodes everything but the URI unreserved characters (RFC 3986). */
    static String urlEscape(String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return text;
    }
}
