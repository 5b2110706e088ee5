package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading DKIM-Signature fields and tag lists: what is an error, what is ignored. */
class SignatureParserTest {
    static final String GOOD = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM;\r\n\ts=sel; h=From : To:subject;"
            + " l=42; t=100; x=200; i==3Djoe@mail.example.com; bh=AAAA; b=AA\r\n\t BB";

    @Test
    void readsEveryTag() throws UnusableSignature {
        DkimSignature s = SignatureParser.parse(field(GOOD));
        assertThat(s.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
        assertThat(s.headerCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(s.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.domain()).isEqualTo("example.com");
        assertThat(s.keyName()).isEqualTo("sel._domainkey.example.com");
        assertThat(s.signedHeaders()).containsExactly("From", "To", "subject");
        assertThat(s.bodyLength()).isEqualTo(42);
        assertThat(s.expiry()).isEqualTo(200);
        assertThat(s.identity()).isEqualTo("=joe@mail.example.com");
        assertThat(s.identityLocalPart()).isEqualTo("=joe");
        assertThat(s.bPrefix()).isEqualTo("AABB");
        assertThat(s.signature()).hasSize(3);
    }

    @Test
    void defaultsAreSimpleSimpleAndTheDomainAsIdentity() throws UnusableSignature {
        DkimSignature s = SignatureParser.parse(field("DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA;"));
        assertThat(s.headerCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.identity()).isEqualTo("@example.com");
        assertThat(s.bodyLength()).isEqualTo(-1);
    }

    @Test
    void brokenSignaturesArePermerrors() {
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; h=to; bh=AAAA; b=AAAA", DkimResult.PERMERROR, "h= does not sign From");
        assertResult("v=1; a=rsa-sha256; d=example.com; h=from; bh=AAAA; b=AAAA", DkimResult.PERMERROR, "missing s=");
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=!!", DkimResult.PERMERROR, "b= is not base64");
        assertResult("v=1; a=rsa-sha256; d=exa mple.com; s=s; h=from; bh=AAAA; b=AAAA", DkimResult.PERMERROR, "d= is no domain name");
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA; t=10; x=9", DkimResult.PERMERROR, "x= is before t=");
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; s=t; h=from; bh=AAAA; b=AAAA", DkimResult.PERMERROR, "syntax: tag s= appears twice");
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA; l=12x", DkimResult.PERMERROR, "l= is not a number");
    }

    @Test
    void whatTheRfcSaysToIgnoreIsNone() {
        assertResult("v=2; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA", DkimResult.NONE, "ignored: version v=2 is not supported");
        assertResult("v=1; a=rsa-sha512; d=example.com; s=s; h=from; bh=AAAA; b=AAAA", DkimResult.NONE, "ignored: unknown algorithm rsa-sha512");
        assertResult("v=1; a=rsa-sha256; c=fancy/simple; d=example.com; s=s; h=from; bh=AAAA; b=AAAA", DkimResult.NONE,
                "ignored: unknown canonicalization fancy/simple");
        assertResult("v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=AAAA; i=a@example.com.evil", DkimResult.NONE,
                "ignored: i= a@example.com.evil is not within d=example.com");
    }

    @Test
    void theClaimsOfABrokenSignatureAreKeptForTheReport() {
        assertThatThrownBy(() -> SignatureParser.parse(field("DKIM-Signature: a=rsa-sha256; d=Example.com; s=sel; h=to; bh=AAAA; b=abc/defghij")))
                .isInstanceOfSatisfying(UnusableSignature.class, e -> {
                    assertThat(e.result().domain()).isEqualTo("example.com");
                    assertThat(e.result().selector()).isEqualTo("sel");
                    assertThat(e.result().bPrefix()).isEqualTo("abc/defg");
                });
    }

    @Test
    void tagListsFollowRfc6376Syntax() throws DkimSyntaxException {
        TagList t = TagList.parse(" v = DKIM1 ;\r\n\tn=a note with spaces; p=AB\r\n CD ; ");
        assertThat(t.asMap()).containsExactly(java.util.Map.entry("v", "DKIM1"), java.util.Map.entry("n", "a note with spaces"),
                java.util.Map.entry("p", "AB\r\n CD"));
        assertThat(TagList.compact(t.get("p"))).isEqualTo("ABCD");
        assertThatThrownBy(() -> TagList.parse("a=1;;b=2")).hasMessage("an empty tag");
        assertThatThrownBy(() -> TagList.parse("1a=1")).hasMessage("bad tag name \"1a\"");
    }

    @Test
    void keyRecords() throws DkimSyntaxException {
        assertThatThrownBy(() -> KeyRecordParser.parse("v=DKIM1; k=rsa; p=")).hasMessage("key revoked (empty p=)");
        assertThatThrownBy(() -> KeyRecordParser.parse("v=DKIM1; k=dsa; p=AAAA")).hasMessage("unknown key type k=dsa");
        assertThatThrownBy(() -> KeyRecordParser.parse("v=DKIM1; k=rsa; p=AAAA")).hasMessage("key p= is no RSA public key");
        DkimKey k = KeyRecordParser.parse("v=DKIM1; k=ed25519; t=y:s; h=sha256; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assertThat(k.testing()).isTrue();
        assertThat(k.strict()).isTrue();
        assertThat(k.allows(DkimAlgorithm.ED25519_SHA256)).isTrue();
        assertThat(k.allows(DkimAlgorithm.RSA_SHA1)).isFalse();
        assertThat(List.of(k.bits())).containsExactly(256);
    }

    static void assertResult(String value, DkimResult result, String why) {
        assertThatThrownBy(() -> SignatureParser.parse(field("DKIM-Signature: " + value)))
                .isInstanceOfSatisfying(UnusableSignature.class, e -> {
                    assertThat(e.result().result()).isEqualTo(result);
                    assertThat(e.result().why()).isEqualTo(why);
                });
    }

    static RawField field(String text) {
        return new RawField(text.substring(0, text.indexOf(':')), text);
    }
}
