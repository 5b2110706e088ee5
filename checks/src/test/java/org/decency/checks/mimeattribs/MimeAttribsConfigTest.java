package org.decency.checks.mimeattribs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.decency.checks.mimeattribs.MimeAttribsTestSupport.yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MimeAttribs settings: defaults, the seeds' files, and errors that name file, line and key. */
class MimeAttribsConfigTest {
    @TempDir
    Path dir;

    private MimeAttribsConfig load(String text) {
        ConfigNode n = yaml(dir, text);
        MimeAttribsConfig c = MimeAttribsConfig.from(n);
        n.finish();
        return c;
    }

    @Test
    void everyRuleIsOnWithItsDefault() {
        MimeAttribsConfig c = load("{}\n");

        assertThat(c.rule(MimeRule.BAD_EXTENSION)).isEqualTo(new RuleSetting(-60, RuleSetting.Verb.SCORE, "", 0));
        assertThat(c.rule(MimeRule.TOO_MANY_PARTS).max()).isEqualTo(500);
        assertThat(c.rule(MimeRule.TOO_DEEP).max()).isEqualTo(10);
        assertThat(c.rule(MimeRule.TOO_LARGE).enabled()).isFalse();
        assertThat(c.rule(MimeRule.TOO_LARGE).max()).isEqualTo(25L << 20);
        assertThat(c.extensions()).contains("exe", "scr", "js", "iso", "lnk").doesNotContain("pdf", "zip");
        assertThat(c.headers().isEmpty()).isTrue();
        assertThat(c.maxSize().maxBytes()).isZero();
    }

    @Test
    void theSeedsHeaderFilesLoad() {
        ConfigNode in = yaml(dir, """
                ---

                disable: 1
                set_header:
                    X-Decency: 1
                    X-Something: lalalala
                remove_header:
                    - 'X-Mailer'
                    - 'XXX'
                replace_header:
                    Subject: 'REPLACE: %orig%'
                """);
        assertThat(ModuleOptions.read("MimeAttribs", in).disabled()).isTrue();
        MimeAttribsConfig c = MimeAttribsConfig.from(in);
        in.finish();

        ConfigNode out = yaml(dir, """
                ---

                disable: 0
                set_header:
                    X-Sender-Source: Send by me
                replace_header:
                    Subject: 'SEND-OUT: %orig%'
                max_size: 0
                timeout: 30
                """);
        ModuleOptions.read("MimeAttribs", out);
        MimeAttribsConfig c2 = MimeAttribsConfig.from(out);
        out.finish();

        assertThat(c.headers().set()).isEqualTo(Map.of("X-Decency", "1", "X-Something", "lalalala"));
        assertThat(c.headers().remove()).containsExactly("X-Mailer", "XXX");
        assertThat(c.headers().replace()).isEqualTo(Map.of("Subject", "REPLACE: %orig%"));
        assertThat(c2.headers().set()).isEqualTo(Map.of("X-Sender-Source", "Send by me"));
    }

    @Test
    void ruleMappingsAreRead() {
        MimeAttribsConfig c = load("""
                bad_extension: {score: -100, action: reject, message: No programs.}
                encrypted_archive: {action: hold}
                too_large: {score: -5, max: 10m}
                too_many_parts: {max: 50}
                extensions: [exe, .Vbs]
                """);

        assertThat(c.rule(MimeRule.BAD_EXTENSION)).isEqualTo(new RuleSetting(-100, RuleSetting.Verb.REJECT, "No programs.", 0));
        assertThat(c.rule(MimeRule.ENCRYPTED_ARCHIVE).action()).isEqualTo(RuleSetting.Verb.QUARANTINE);
        assertThat(c.rule(MimeRule.ENCRYPTED_ARCHIVE).score()).isEqualTo(-30);
        assertThat(c.rule(MimeRule.TOO_LARGE).max()).isEqualTo(10L << 20);
        assertThat(c.rule(MimeRule.TOO_MANY_PARTS)).isEqualTo(new RuleSetting(-20, RuleSetting.Verb.SCORE, "", 50));
        assertThat(c.extensions()).containsExactlyInAnyOrder("exe", "vbs");
    }

    @Test
    void errorsNameFileLineAndKey() {
        assertError("malformed: 5\n", ":1: malformed: must be 0 (off) or negative");
        assertError("type_mismatch:\n  score: -5\n  action: bounce\n", ":3: type_mismatch.action: expected score, reject or quarantine, got \"bounce\"");
        assertError("too_deep: {max: 0}\n", ":1: too_deep.max: must be more than 0");
        assertError("bad_extension: {score: -5, maximum: 3}\n", ":1: bad_extension.maximum: unknown key; expected one of: score, action, message");
        assertError("extensions: [exe, 'a b']\n", ":1: extensions[1]: expected an extension like exe or .exe");
        assertError("add_header:\n  'Bad Name': x\n", ":2: add_header.Bad Name: expected a header field name like X-Mailer");
        assertError("remove_header: ['X:Y']\n", ":1: remove_header[0]: expected a header field name");
        assertError("set_header: {X-A: \"one\\ntwo\"}\n", ":1: set_header.X-A: a header value must be one line");
        assertError("too_large: {max: lots}\n", ":1: too_large.max: expected a size like 1048576, 512k, 50m or 1g");
        assertError("bad_extention: -5\n", ":1: bad_extention: unknown key; expected one of: bad_extension");
    }

    private void assertError(String text, String expected) {
        assertThatThrownBy(() -> load(text)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected).hasMessageContaining(dir.toString());
    }

    @Test
    void theDefaultListIsTheDocumentedOne() {
        assertThat(MimeAttribsConfig.DEFAULT_EXTENSIONS).containsAll(List.of("exe", "scr", "pif", "bat", "cmd", "com",
                "cpl", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "msi", "jar", "lnk", "reg", "ps1", "scf", "iso", "img"));
    }
}
