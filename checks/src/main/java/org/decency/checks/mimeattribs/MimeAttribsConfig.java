package org.decency.checks.mimeattribs;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;

/**
 * The settings of a MimeAttribs module. Every rule is on with its default score; a
 * rule is a number (its score; 0 turns it off) or a mapping. Example with the defaults:
 *
 * <pre>{@code
 * - MimeAttribs:
 *     extensions: [exe, scr, ...]     # the dangerous extensions (replaces the default list)
 *     bad_extension: -60
 *     double_extension: -40           # adds to bad_extension: invoice.pdf.exe scores -100
 *     type_mismatch: -50
 *     encrypted_archive: {score: -30, action: score}    # or reject, quarantine
 *     malformed: -5
 *     too_many_parts: {score: -20, max: 500}
 *     too_deep: {score: -20, max: 10}
 *     too_large: {score: 0, max: 25m}                   # attachments together
 *     add_header: {X-Checked: "yes"}                    # the seeds' header changes, see HeaderEdits
 *     remove_header: [X-Mailer]
 *     set_header: {X-Scanned: "by Decency"}
 *     replace_header: {Subject: "[ext] %orig%"}
 *     max_size: 0                     # mails larger than this are not looked at (0: no limit)
 * }</pre>
 */
record MimeAttribsConfig(Map<MimeRule, RuleSetting> rules, Set<String> extensions, HeaderEdits headers,
                         MessageSizeLimit maxSize) {

    /** The workshop's list: programs, scripts, shortcuts, installers and the disk images used to smuggle them. */
    static final List<String> DEFAULT_EXTENSIONS = List.of(
            "exe", "scr", "pif", "bat", "cmd", "com", "cpl", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi",
            "msp", "msc", "jar", "lnk", "reg", "ps1", "psm1", "scf", "inf", "chm", "application", "gadget", "appx",
            "msix", "iso", "img", "vhd", "vhdx");

    MimeAttribsConfig {
        rules = Collections.unmodifiableMap(new EnumMap<>(rules));
        extensions = Set.copyOf(extensions);
    }

    static MimeAttribsConfig from(ConfigNode n) {
        Map<MimeRule, RuleSetting> rules = new EnumMap<>(MimeRule.class);
        for (MimeRule r : MimeRule.values()) {
            rules.put(r, n.child(r.key).map(c -> RuleSetting.read(r, c)).orElse(RuleSetting.defaults(r)));
        }
        Set<String> extensions = new LinkedHashSet<>();
        ConfigNode ext = n.child("extensions").orElse(null);
        if (ext == null) {
            extensions.addAll(DEFAULT_EXTENSIONS);
        } else {
            for (ConfigNode item : ext.isSequence() ? ext.asList() : List.of(ext)) {
                String e = item.text().strip().toLowerCase(Locale.ROOT);
                if (e.startsWith(".")) e = e.substring(1);
                if (!e.matches("[a-z0-9_-]{1,16}")) throw item.error("expected an extension like exe or .exe, got \"" + item.text() + "\"");
                extensions.add(e);
            }
        }
        return new MimeAttribsConfig(rules, extensions, HeaderEdits.read(n), MessageSizeLimit.read(n));
    }

    RuleSetting rule(MimeRule r) {
        return rules.get(r);
    }
}
