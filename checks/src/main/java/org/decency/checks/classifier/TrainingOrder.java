package org.decency.checks.classifier;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order in which {@code decency train} (given spam and ham in one call) and {@code
 * decency eval} (its training folds) teach mails: mixed, so a model that learns by steps
 * (the logistic one) does not see all of one class and then all of the other, and fixed, so
 * a run can be repeated: by a hash of each file's name (not its folder), then the name.
 */
public final class TrainingOrder {
    private TrainingOrder() {}

    public static <T> List<T> mixed(List<T> mails, Function<T, Path> file) {
        Comparator<T> byHash = Comparator.comparingLong(m -> scramble(name(file.apply(m)).hashCode()));
        return mails.stream().sorted(byHash.thenComparing(m -> name(file.apply(m)))).toList();
    }

    private static String name(Path p) {
        Path n = p.getFileName();
        return n == null ? p.toString() : n.toString();
    }

    private static long scramble(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 31);
    }
}
