package org.decency.checks.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.decency.config.ConfigException;
import org.decency.config.ConfigLoader;
import org.decency.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** archive_dir: variables, sanitised values, the file name prefix, the fixed root. */
class PathTemplateTest {
    @TempDir
    Path dir;
    static final ZonedDateTime TIME = ZonedDateTime.of(2010, 5, 24, 21, 26, 0, 0, ZoneOffset.UTC);

    private PathTemplate template(String value) throws Exception {
        Path f = Files.writeString(dir.resolve("archive.yml"), "archive_dir: '" + value + "'\n");
        return PathTemplate.read(ConfigLoader.loadFile(f, "").required("archive_dir"));
    }

    @Test
    void theSeedsExampleRendersWithTheLastComponentAsPrefix() throws Exception {
        PathTemplate t = template("/var/archive/%recipient_domain%/%ymd%/%recipient_prefix%-%hm%");

        PathTemplate.Target target = t.render(MailAddress.parse("Bob@Example.NET"), MailAddress.parse("Alice@Example.ORG"), TIME);

        assertThat(target.dir()).isEqualTo(Path.of("/var/archive/example.org/2010-05-24"));
        assertThat(target.prefix()).isEqualTo("alice-21-26");
        assertThat(t.root()).isEqualTo(Path.of("/var/archive"));
    }

    @Test
    void aTrailingSlashMeansThePrefixMailAndRelativePathsFollowTheConfigFile() throws Exception {
        PathTemplate t = template("archive/%sender_address%/");

        PathTemplate.Target target = t.render(MailAddress.parse("x+tag@a.example"), MailAddress.parse("y@b.example"), TIME);

        assertThat(target.dir()).isEqualTo(dir.resolve("archive/x+tag@a.example").toAbsolutePath());
        assertThat(target.prefix()).isEqualTo("mail");
        assertThat(t.root()).isEqualTo(dir.resolve("archive").toAbsolutePath());
    }

    @Test
    void missingPartsAreUnknownAndHostileValuesStayInside() throws Exception {
        PathTemplate t = template("/a/%sender_prefix%/%sender_domain%/%recipient_address%/%recipient_prefix%/");

        PathTemplate.Target bounce = t.render(MailAddress.NULL_SENDER, MailAddress.parse("postmaster"), TIME);
        PathTemplate.Target hostile = t.render(MailAddress.parse("../../etc@x"), MailAddress.parse("..@evil/../x"), TIME);

        assertThat(bounce.dir()).isEqualTo(Path.of("/a/unknown/unknown/postmaster/postmaster"));
        assertThat(hostile.dir().startsWith(Path.of("/a"))).isTrue();
        assertThat(hostile.dir()).isEqualTo(Path.of("/a/.._.._etc/x/..@evil_.._x/_"));
    }

    @Test
    void valuesAreCleanedAsTheSeedsDid() {
        assertThat(PathTemplate.clean("Jörg Müller")).isEqualTo("jörg_müller");
        assertThat(PathTemplate.clean("a  b**c")).isEqualTo("a_b_c");
        assertThat(PathTemplate.clean("")).isEqualTo("unknown");
        assertThat(PathTemplate.clean("...")).isEqualTo("_");
        assertThat(PathTemplate.clean("x".repeat(300))).hasSize(100);
    }

    @Test
    void unknownVariablesAndLonePercentsAreErrors() {
        assertThatThrownBy(() -> template("/a/%recipient%/")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.yml:1: archive_dir: unknown variable %recipient%; known: recipient_domain");
        assertThatThrownBy(() -> template("/a/100%/")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("a lone % in \"100%\"");
    }
}
