package org.decency.checks.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading clamd's answers in a session. */
class ClamdReplyTest {

    @Test
    void okFoundAndError() throws IOException {
        assertThat(ClamdReply.parse("1: stream: OK", 1)).isEqualTo(ClamdReply.CLEAN);
        assertThat(ClamdReply.parse("7: stream: Win.Test.EICAR_HDB-1 FOUND", 7))
                .isEqualTo(new ClamdReply(ClamdReply.Kind.VIRUS, "Win.Test.EICAR_HDB-1"));
        assertThat(ClamdReply.parse("3: INSTREAM size limit exceeded. ERROR", 3))
                .isEqualTo(new ClamdReply(ClamdReply.Kind.ERROR, "INSTREAM size limit exceeded. ERROR"));
        assertThat(ClamdReply.parse("2: stream: Can't allocate memory ERROR", 2).kind()).isEqualTo(ClamdReply.Kind.ERROR);
    }

    @Test
    void anAnswerForAnotherRequestOrNoScanResultIsAProtocolError() {
        assertThatThrownBy(() -> ClamdReply.parse("2: stream: OK", 1)).isInstanceOf(IOException.class)
                .hasMessage("unexpected answer from clamd: \"2: stream: OK\"");
        assertThatThrownBy(() -> ClamdReply.parse("stream: OK", 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ClamdReply.parse("1: PONG", 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ClamdReply.parse("1: UNKNOWN COMMAND", 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ClamdReply.parse("1: stream:  FOUND", 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ClamdReply.parse("1: stream: OK\u0001\u00ff", 1)).isInstanceOf(IOException.class)
                .hasMessage("unexpected answer from clamd: \"1: stream: OK??\"");
    }

    @Test
    void aSignatureNameIsKeptFitForAFlagAndAHeader() throws IOException {
        assertThat(ClamdReply.parse("1: stream: Evil Name\r\nX-Injected: 1 FOUND", 1).text()).isEqualTo("Evil_Name__X-Injected:_1");
        assertThat(ClamdReply.parse("1: stream: " + "A".repeat(500) + " FOUND", 1).text()).hasSize(ClamdReply.MAX_NAME);
    }
}
