package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.decency.checks.support.DnsTestSupport;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of DKIMVerify and DKIMSign: defaults, what is refused, what warns. */
class DkimConfigTest {
    @TempDir
    Path dir;
    DnsTestSupport dns;
    CheckEnvironment env;

    @BeforeEach
    void setUp() {
        dns = new DnsTestSupport(dir);
        env = dns.env();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void verifyDefaultsAreTheSeedsCodeDefaults() {
        DkimVerifyConfig c = verifyConfig("{}");
        assertThat(c.weight(DkimResult.PASS)).isEqualTo(15);
        assertThat(c.weight(DkimResult.FAIL)).isEqualTo(-50);
        assertThat(c.weight(DkimResult.PERMERROR)).isEqualTo(-25);
        assertThat(c.weight(DkimResult.POLICY)).isEqualTo(-25);
        assertThat(c.weight(DkimResult.TEMPERROR)).isZero();
        assertThat(c.weight(DkimResult.NONE)).isZero();
        assertThat(c.weight(DkimResult.NEUTRAL)).isZero();
        assertThat(c.authservId()).isEqualTo("mx.test.invalid");
        assertThat(c.addHeader()).isTrue();
        assertThat(c.allowSha1()).isFalse();
        assertThat(c.minRsaBits()).isEqualTo(1024);
        assertThat(c.maxSignatures()).isEqualTo(5);
        assertThat(env.warnings()).isEmpty();
    }

    @Test
    void domainWeightsCountForTheDomainAndBelow() {
        DkimVerifyConfig c = verifyConfig("domain_weights: {PayPal.com: 30, mail.paypal.com: 5}\nweight_none: -1\n");
        assertThat(c.domainWeight("paypal.com")).isEqualTo(30);
        assertThat(c.domainWeight("mail.paypal.com")).isEqualTo(35);
        assertThat(c.domainWeight("notpaypal.com")).isZero();
        assertThat(c.weight(DkimResult.NEUTRAL)).isEqualTo(-1);
    }

    @Test
    void verifyRefusesAndWarns() {
        assertThatThrownBy(() -> verifyConfig("weight_passs: 1\n")).isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> verifyConfig("authserv_id: \"mx example\"\n")).hasMessageContaining("expected a host name");
        assertThatThrownBy(() -> verifyConfig("max_signatures: 0\n")).hasMessageContaining("must be at least 1");
        assertThatThrownBy(() -> verifyConfig("domain_weights: {\"not a domain\": 3}\n")).hasMessageContaining("not a domain name");
        verifyConfig("allow_rsa_sha1: 1\nmin_rsa_bits: 768\n");
        assertThat(String.join("\n", env.warnings())).contains("rsa-sha1 signatures are accepted")
                .contains("RSA keys under 1024 bits are accepted");
    }

    @Test
    void signNeedsAKeyAndReadsTheSeedsKeys() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("dkim"));
        TestKeys.pkcs8(dir.resolve("default.key"), TestKeys.rsa(2048).getPrivate());
        assertThatThrownBy(() -> signConfig("selector: s\n")).hasMessageContaining("needs sign_key");
        assertThatThrownBy(() -> signConfig("sign_key_dir: missing\n")).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> signConfig("sign_key: default.key\nsign_algo: ed25519-sha256\n"))
                .hasMessageContaining("cannot use the key").hasMessageContaining("does not sign ed25519-sha256");

        DkimSignConfig seeds = signConfig("sign_key: default.key\nsign_key_dir: dkim\nsign_algo: rsa-sha1\nsign_method: relaxed\n"
                + "additional_headers: \"List-Id:X-Mailer\"\n");
        assertThat(seeds.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
        assertThat(seeds.headerCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(seeds.bodyCanon()).as("c=relaxed is relaxed/simple").isEqualTo(Canonicalization.SIMPLE);
        assertThat(seeds.headers()).endsWith("Content-Transfer-Encoding", "List-Id", "X-Mailer");
        assertThat(seeds.selector()).isEqualTo("decency");
        assertThat(seeds.signKeyDir()).isEqualTo(keys);
        assertThat(String.join("\n", env.warnings())).contains("rsa-sha1 must no longer be used (RFC 8301)");

        DkimSignConfig ours = signConfig("sign_key_dir: dkim\nselectors: {Example.org: mail2026}\nsign_by: from\nadditional_headers: [List-Id]\n");
        assertThat(ours.bodyCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(ours.selectors()).containsEntry("example.org", "mail2026");
        assertThat(ours.byFromHeader()).isTrue();
        assertThatThrownBy(() -> signConfig("sign_key_dir: dkim\nsign_by: header\n")).hasMessageContaining("expected envelope or from");
        assertThatThrownBy(() -> signConfig("sign_key_dir: dkim\nsign_method: loose/simple\n")).hasMessageContaining("expected relaxed or simple");
    }

    @Test
    void theFromDomainOfCommonFromFields() {
        assertThat(DkimSignCheck.addressDomain("\"Alice, A.\" <alice@Example.COM>")).isEqualTo("example.com");
        assertThat(DkimSignCheck.addressDomain("bob@example.org (Bob)")).isEqualTo("example.org");
        assertThat(DkimSignCheck.addressDomain("undisclosed")).isEmpty();
    }

    private DkimVerifyConfig verifyConfig(String yaml) {
        ConfigNode n = dns.yaml(yaml);
        DkimVerifyConfig c = DkimVerifyConfig.from(n, env);
        n.finish();
        return c;
    }

    private DkimSignConfig signConfig(String yaml) {
        ConfigNode n = dns.yaml(yaml);
        DkimSignConfig c = DkimSignConfig.from(n, env);
        n.finish();
        return c;
    }
}
