package org.decency.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FinalWordTest {

    @Test
    void aBareCodeBecomesALiteralReplyWithTheText() {
        assertThat(FinalWord.parse("450", "Greylisted")).isEqualTo(new FinalWord(Action.REPLY, "450 Greylisted"));
        assertThat(FinalWord.parse(" 554 ", "go away")).isEqualTo(new FinalWord(Action.REPLY, "554 go away"));
        assertThat(FinalWord.parse("421", "")).isEqualTo(new FinalWord(Action.REPLY, "421"));
    }

    @Test
    void anActionNameIsTheActionWithTheText() {
        assertThat(FinalWord.parse("DEFER_IF_PERMIT", "Greylisted")).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "Greylisted"));
        assertThat(FinalWord.parse("defer", "later")).isEqualTo(new FinalWord(Action.DEFER, "later"));
        assertThat(FinalWord.parse("REJECT", "")).isEqualTo(FinalWord.reject(""));
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> FinalWord.parse("250", "fine")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinalWord.parse("650", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinalWord.parse("DEFER_LATER", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinalWord.parse("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyMustStartWithA4xxOr5xxCode() {
        assertThat(new FinalWord(Action.REPLY, "550 5.7.1 no thanks").text()).isEqualTo("550 5.7.1 no thanks");
        assertThat(new FinalWord(Action.REPLY, "450").text()).isEqualTo("450");
        assertThatThrownBy(() -> FinalWord.parse("REPLY", "no code"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a REPLY needs a 4xx or 5xx code first, got: no code");
        assertThatThrownBy(() -> new FinalWord(Action.REPLY, "250 ok")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinalWord(Action.REPLY, "4501 x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinalWord(Action.REPLY, "450x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinalWord(Action.REPLY, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinalWord(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aMissingTextIsEmpty() {
        assertThat(FinalWord.ok(null).text()).isEmpty();
        assertThat(FinalWord.deferIfPermit("wait")).isEqualTo(new FinalWord(Action.DEFER_IF_PERMIT, "wait"));
    }

    @Test
    void refusingActionsAreRejectDeferAndReplies() {
        assertThat(Action.REJECT.refuses()).isTrue();
        assertThat(Action.DEFER.refuses()).isTrue();
        assertThat(Action.DEFER_IF_PERMIT.refuses()).isTrue();
        assertThat(Action.REPLY.refuses()).isTrue();
        assertThat(Action.OK.refuses()).isFalse();
        assertThat(Action.DUNNO.refuses()).isFalse();
        assertThat(Action.PREPEND.refuses()).isFalse();
        assertThat(Action.DEFER_IF_REJECT.refuses()).isFalse();
        assertThat(Action.DISCARD.refuses()).isFalse();
    }
}
