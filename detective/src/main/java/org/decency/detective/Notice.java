package org.decency.detective;

import java.nio.file.Files;
import java.nio.file.Path;
import org.decency.config.ConfigNode;

/**
 * A notification to send: its subject and its template file (relative to the config
 * file; none: a built-in text). Read from {@code notify_<who>}, {@code <who>_template}
 * and {@code <who>_subject}.
 */
public record Notice(boolean enabled, String subject, Path template) {
    public static final Notice OFF = new Notice(false, "", null);

    static Notice read(ConfigNode n, String who, String defaultSubject) {
        boolean on = n.bool("notify_" + who, false);
        String subject = n.child(who + "_subject", "notify_subject").map(ConfigNode::text).orElse(defaultSubject);
        Path template = n.child(who + "_template").map(t -> {
            Path p = t.dir().resolve(t.text());
            if (!Files.isRegularFile(p)) throw t.error("template file not found: " + p);
            return p;
        }).orElse(null);
        return new Notice(on, subject, template);
    }
}
