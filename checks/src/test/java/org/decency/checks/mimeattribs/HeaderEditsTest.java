package org.decency.checks.mimeattribs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.decency.checks.mimeattribs.MimeAttribsTestSupport.check;
import static org.decency.checks.support.TestMails.tx;

import java.nio.file.Path;
import org.decency.checks.support.TestMails;
import org.decency.core.Evaluation;
import org.decency.message.MessageEdits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeds' header changes as edits of the run: order, %orig%, replace only when present. */
class HeaderEditsTest {
    @TempDir
    Path dir;

    private MessageEdits edits(String yaml, String extraHeader) {
        TestMails.Builder b = new TestMails(dir).mail().header("X-Mailer", "Spammer 1.0");
        if (!extraHeader.isEmpty()) b.header(extraHeader.substring(0, extraHeader.indexOf(':')), extraHeader.substring(extraHeader.indexOf(':') + 2));
        Evaluation run = new Evaluation(-50);
        check(dir, "MimeAttribs", yaml).evaluate(tx(b.message()), run);
        return run.edits();
    }

    @Test
    void addRemoveSetAndReplaceBecomeEditsInTheSeedsOrder() {
        MessageEdits e = edits("""
                add_header: {X-Added: one, X-Also: two}
                remove_header: [X-Mailer, X-Absent]
                set_header: {X-Mailer: "Decency (was %orig%)", X-New: "fresh %orig%"}
                replace_header: {Subject: "[ext] %orig%", X-Missing: "never %orig%"}
                """, "");

        assertThat(e.added()).containsExactly(new MessageEdits.Field("X-Added", "one"), new MessageEdits.Field("X-Also", "two"));
        assertThat(e.removed()).containsExactly("x-mailer", "x-absent");
        assertThat(e.replaced()).containsExactly(
                new MessageEdits.Field("X-Mailer", "Decency (was )"),
                new MessageEdits.Field("X-New", "fresh "),
                new MessageEdits.Field("Subject", "[ext] Test"));
    }

    @Test
    void setSeesTheOldValueAndReplaceTouchesOnlyWhatIsThere() {
        MessageEdits e = edits("""
                set_header: {X-Mailer: "%orig% (checked)"}
                replace_header: {X-Spam-Flag: "NO (was %orig%)", X-Absent: "x"}
                """, "X-Spam-Flag: YES");

        assertThat(e.replaced()).containsExactly(
                new MessageEdits.Field("X-Mailer", "Spammer 1.0 (checked)"),
                new MessageEdits.Field("X-Spam-Flag", "NO (was YES)"));
        assertThat(e.added()).isEmpty();
    }
}
