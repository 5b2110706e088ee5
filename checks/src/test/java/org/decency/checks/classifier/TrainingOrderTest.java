package org.decency.checks.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TrainingOrderTest {

    @Test
    void mixesTheClassesTheSameWayWhereverTheFilesAre() {
        List<Path> here = new ArrayList<>(), there = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            here.add(Path.of("/a/spam/" + i + ".eml"));
            there.add(Path.of("/tmp/x/b/spam/" + i + ".eml"));
        }
        for (int i = 0; i < 50; i++) {
            here.add(Path.of("/a/ham/h" + i + ".eml"));
            there.add(Path.of("/tmp/x/b/ham/h" + i + ".eml"));
        }
        List<Path> mixed = TrainingOrder.mixed(here, Function.identity());
        assertThat(mixed).containsExactlyInAnyOrderElementsOf(here);
        assertThat(mixed.subList(0, 50)).as("not one class first").anyMatch(p -> p.toString().contains("/ham/"))
                .anyMatch(p -> p.toString().contains("/spam/"));
        assertThat(TrainingOrder.mixed(there, Function.identity()).stream().map(Path::getFileName).toList())
                .isEqualTo(mixed.stream().map(Path::getFileName).toList());
    }
}
