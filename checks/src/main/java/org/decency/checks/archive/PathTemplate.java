package org.decency.checks.archive;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.config.ConfigNode;
import org.decency.core.MailAddress;

/**
 * The seeds' {@code archive_dir}: a path with variables, relative paths resolved against
 * the config file's folder. Its last component is the file name prefix
 * ({@code .../%recipient_prefix%-%hm%} stores {@code alice-21-26-<epoch>-<random>.eml}); a
 * path ending in {@code /} uses the prefix {@code mail}. Variables: {@code recipient_domain},
 * {@code recipient_prefix}, {@code recipient_address}, {@code sender_domain},
 * {@code sender_prefix}, {@code sender_address} (the first recipient and the envelope
 * sender), {@code ymd} (2010-05-24) and {@code hm} (21-26), in local time. Values are
 * lower-cased, characters other than letters, digits and {@code - _ . @ +} become
 * {@code _}; a missing value is {@code unknown}; a value of dots alone is {@code _},
 * so no value can leave the folder.
 */
public record PathTemplate(String text, Path base) {
    static final List<String> VARIABLES = List.of("recipient_domain", "recipient_prefix", "recipient_address",
            "sender_domain", "sender_prefix", "sender_address", "ymd", "hm");
    static final String DEFAULT_PREFIX = "mail";
    private static final Pattern VARIABLE = Pattern.compile("%([A-Za-z_]+)%");
    private static final int MAX_VALUE = 100;

    /** Reads and checks the template under {@code node}. */
    public static PathTemplate read(ConfigNode node) {
        String text = node.text().strip();
        if (text.isEmpty()) throw node.error("expected a folder, e.g. /var/archive/%recipient_domain%/%ymd%/");
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            if (!VARIABLES.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                throw node.error("unknown variable %" + m.group(1) + "%; known: " + String.join(", ", VARIABLES));
            }
        }
        for (String part : text.split("[/\\\\]")) {
            if (part.contains("%") && part.replaceAll(VARIABLE.pattern(), "").contains("%")) {
                throw node.error("a lone % in \"" + part + "\"; variables are written %name%");
            }
        }
        return new PathTemplate(text, node.dir());
    }

    /** Where a file goes and the first part of its name. */
    public record Target(Path dir, String prefix) {}

    public Target render(MailAddress sender, MailAddress recipient, ZonedDateTime time) {
        Map<String, String> values = new LinkedHashMap<>();
        put(values, "recipient", recipient);
        put(values, "sender", sender);
        values.put("ymd", String.format(Locale.ROOT, "%04d-%02d-%02d", time.getYear(), time.getMonthValue(), time.getDayOfMonth()));
        values.put("hm", String.format(Locale.ROOT, "%02d-%02d", time.getHour(), time.getMinute()));
        Matcher m = VARIABLE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(values.get(m.group(1).toLowerCase(Locale.ROOT))));
        m.appendTail(b);
        String rendered = b.toString();
        boolean endsWithSlash = rendered.endsWith("/") || rendered.endsWith("\\");
        Path full = base.resolve(rendered).normalize();
        if (endsWithSlash) return new Target(full, DEFAULT_PREFIX);
        Path name = full.getFileName();
        Path parent = full.getParent();
        return new Target(parent == null ? full : parent, name == null ? DEFAULT_PREFIX : name.toString());
    }

    /** The folder below which every rendered path lies: the components before the first variable. */
    public Path root() {
        int first = text.indexOf('%');
        boolean endsWithSlash = text.endsWith("/") || text.endsWith("\\");
        if (first < 0) {
            Path full = base.resolve(text).normalize();
            return endsWithSlash || full.getParent() == null ? full : full.getParent();
        }
        String fixed = text.substring(0, first);
        int slash = Math.max(fixed.lastIndexOf('/'), fixed.lastIndexOf('\\'));
        return base.resolve(slash < 0 ? "" : fixed.substring(0, slash + 1)).normalize();
    }

    private static void put(Map<String, String> values, String who, MailAddress a) {
        boolean known = a != null && !a.isNull();
        String local = known ? clean(a.localPart()) : "unknown";
        String domain = known && !a.domain().isEmpty() ? clean(a.domain()) : "unknown";
        values.put(who + "_prefix", local);
        values.put(who + "_domain", domain);
        values.put(who + "_address", known ? clean(a.localPart() + (a.domain().isEmpty() ? "" : "@" + a.domain())) : "unknown");
    }

    /** Lower-case, only letters, digits and {@code - _ . @ +}, runs of {@code _} made one, never empty or dots alone. */
    static String clean(String value) {
        String v = value.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\d\\-_.@+]", "_").replaceAll("_{2,}", "_");
        if (v.length() > MAX_VALUE) v = v.substring(0, MAX_VALUE);
        if (v.isEmpty()) return "unknown";
        if (v.chars().allMatch(c -> c == '.')) return "_";
        return v;
    }
}
