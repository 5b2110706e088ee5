package org.decency.checks.bogofilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.decency.checks.engine.CommandCheck.BadAnswer;
import org.decency.checks.engine.EngineCommand;
import org.junit.jupiter.api.Test;

/** Reading bogofilter's X-Bogosity line in the forms bogofilter prints it (1.2.5 with -v, older versions, -U's histogram after it). */
class BogosityTest {

    static EngineCommand.Result answer(int exit, String out) {
        return new EngineCommand.Result(exit, out.getBytes(StandardCharsets.UTF_8), false, "", Duration.ZERO);
    }

    @Test
    void theThreeClassesWithTheirSpamicity() throws BadAnswer {
        Bogosity s = Bogosity.of(answer(0, "X-Bogosity: Spam, tests=bogofilter, spamicity=0.996121, version=1.2.5\n"));
        assertThat(s.kind()).isEqualTo(Bogosity.Kind.SPAM);
        assertThat(s.spamicity()).contains(0.996121);
        assertThat(s.line()).isEqualTo("X-Bogosity: Spam, tests=bogofilter, spamicity=0.996121, version=1.2.5");
        assertThat(Bogosity.of(answer(1, "X-Bogosity: Ham, tests=bogofilter, spamicity=9.29282e-10, version=1.2.5\n")).spamicity())
                .contains(9.29282e-10);
        Bogosity u = Bogosity.of(answer(2, """
                X-Bogosity: Unsure, tests=bogofilter, spamicity=0.500000, version=1.2.5
                   int  cnt   prob  spamicity histogram
                  0.00   39 0.007172 0.004829 ####
                """));
        assertThat(u.kind()).isEqualTo(Bogosity.Kind.UNSURE);
        assertThat(u.spamicity()).contains(0.5);
    }

    @Test
    void olderAndOtherwiseFormattedLines() throws BadAnswer {
        assertThat(Bogosity.of(answer(0, "X-Bogosity: Yes, tests=bogofilter\n")).kind()).isEqualTo(Bogosity.Kind.SPAM);
        assertThat(Bogosity.of(answer(1, "x-bogosity: no, tests=bogofilter\n")).kind()).isEqualTo(Bogosity.Kind.HAM);
        Bogosity b = Bogosity.of(answer(0, "X-Bogosity:   SPAM ,spamicity = 1.000000\r\n"));
        assertThat(b.kind()).isEqualTo(Bogosity.Kind.SPAM);
        assertThat(b.spamicity()).contains(1.0);
        assertThat(Bogosity.of(answer(0, "X-Bogosity: Spam\n")).spamicity()).isEmpty();
    }

    @Test
    void anythingElseIsNoVerdict() {
        assertThatThrownBy(() -> Bogosity.of(answer(3, "X-Bogosity: Spam, spamicity=1\n"))).isInstanceOf(BadAnswer.class)
                .hasMessage("exited with 3");
        assertThatThrownBy(() -> Bogosity.of(answer(0, ""))).hasMessage("no X-Bogosity line in its answer (exited with 0)");
        assertThatThrownBy(() -> Bogosity.of(answer(0, "X-Bogosity: Maybe, tests=bogofilter\n")))
                .hasMessage("an X-Bogosity line without Spam, Ham or Unsure: X-Bogosity: Maybe, tests=bogofilter");
        assertThatThrownBy(() -> Bogosity.of(answer(0, "X-Bogosity: Spam, spamicity=lots\n")))
                .hasMessageStartingWith("a spamicity that is not a number from 0 to 1");
        assertThatThrownBy(() -> Bogosity.of(answer(0, "X-Bogosity: Spam, spamicity=1.5\n")))
                .hasMessageStartingWith("a spamicity that is not a number from 0 to 1");
        // a verdict after the first empty line is not bogofilter's header
        assertThatThrownBy(() -> Bogosity.of(answer(0, "noise\n\nX-Bogosity: Spam\n"))).isInstanceOf(BadAnswer.class);
    }
}
