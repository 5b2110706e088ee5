package org.decency.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/**
 * Builds a {@link Pipeline} from a server config: the scoring options, exclusions,
 * custom scoring, statistics and the {@code modules:} list. A module entry is
 * {@code - Name: {inline settings}} or {@code - Name: path/to/module.yml} (relative to
 * the config's directory). Checks are found through {@link CheckFactory} services.
 */
public final class PipelineBuilder {

    /** Seed modules that later work brings; configs naming them still load. */
    static final Map<String, String> NOT_YET = Map.of(
            "senderpermit", "a later release", "livestats", "a later release");

    /** What was built, and the modules that were named but are not available yet. */
    public record Result(Pipeline pipeline, StatsRecorder stats, List<String> warnings) {}

    private final Map<String, CheckFactory> factories = new LinkedHashMap<>();

    public PipelineBuilder() {
        for (CheckFactory f : ServiceLoader.load(CheckFactory.class)) register(f);
    }

    public PipelineBuilder register(CheckFactory f) {
        factories.put(f.moduleName().toLowerCase(Locale.ROOT), f);
        return this;
    }

    public List<String> moduleNames() {
        return factories.values().stream().map(CheckFactory::moduleName).toList();
    }

    /**
     * Reads the pipeline part of {@code root}. Marks the keys it reads, so the caller's
     * {@code root.finish()} reports only what is really unknown.
     */
    public Result build(ConfigNode root, CheckEnvironment env, ExecutorService blockingExecutor) {
        PipelineSettings settings = PipelineSettings.read(root);
        Exclusions exclusions = root.child("exclusions").map(Exclusions::read).orElse(Exclusions.none());
        CustomScoring custom = root.child("custom_scoring").map(CustomScoring::read).orElse(CustomScoring.none());
        List<String> warnings = new ArrayList<>();
        StatsRecorder stats = readStats(root, env, warnings);
        List<Module> modules = new ArrayList<>();
        ConfigNode list = root.required("modules");
        for (ConfigNode item : list.asList()) {
            Map<String, ConfigNode> entry = item.mapping();
            if (entry.size() != 1) throw item.error("each module is one \"Name: settings\" entry, e.g. \"- CBL: doorman/cbl.yml\"");
            var e = entry.entrySet().iterator().next();
            String moduleName = e.getKey();
            CheckFactory factory = factories.get(moduleName.toLowerCase(Locale.ROOT));
            if (factory == null) {
                String later = NOT_YET.get(moduleName.toLowerCase(Locale.ROOT));
                if (later == null) {
                    throw e.getValue().error("unknown module \"" + moduleName + "\"; available: " + String.join(", ", moduleNames()));
                }
                // located at the modules: entry (its settings file, if any, is not read)
                warnings.add(e.getValue().file() + ":" + e.getValue().line() + ": module " + moduleName
                        + " is not available yet (it comes with " + later + "); skipped");
                continue;
            }
            ConfigNode config = moduleConfig(e.getValue(), item.path() + "." + moduleName);
            ModuleOptions options = ModuleOptions.read(factory.moduleName(), config);
            if (options.disabled()) continue;
            if (modules.stream().anyMatch(m -> m.name().equalsIgnoreCase(options.name()))) {
                throw e.getValue().error("a second module named " + options.name()
                        + "; give each its own name: (e.g. name: " + options.name() + "2) so logs, exclusions and weights can tell them apart");
            }
            Check check = factory.create(options.name(), config, env);
            ResultCache cache = options.resultCache() == null ? null : new ResultCache(options.resultCache(), env.clock());
            modules.add(new Module(check, options, cache));
        }
        warnings.addAll(env.warnings());
        Pipeline pipeline = new Pipeline(modules, settings, exclusions, custom, stats, blockingExecutor).onRemoteStore(env.store() != null && env.store().remote());
        return new Result(pipeline, stats, warnings);
    }

    private static ConfigNode moduleConfig(ConfigNode value, String path) {
        if (value.isNull()) return ConfigNode.empty(value.file(), path);
        if (value.isScalar()) {
            Path file = value.dir().resolve(value.text());
            if (!Files.exists(file)) throw value.error("file not found: " + file);
            return ConfigLoader.loadFile(file, "");
        }
        value.mapping();
        return value;
    }

    /**
     * {@code stats:} as in the seeds: {@code enable} is 1/0 or the list of tables
     * (module_results, module_performance, final_state), {@code intervals} the periods,
     * {@code maintenance.intervals} how many periods of each kind to keep
     * ({@code maintenance.stream}, LiveStats's table, is accepted with a warning). The
     * 0.1.x switch {@code enable_stats: 1} turns on every table, hourly and daily.
     */
    private static StatsRecorder readStats(ConfigNode root, CheckEnvironment env, List<String> warnings) {
        boolean legacy = root.bool("enable_stats", false);
        var section = root.child("stats");
        if (section.isEmpty() && !legacy) return null;
        List<String> periods = List.of("hour", "day");
        List<String> tables = StatsRecorder.ALL_TABLES;
        StatsRetention retention = StatsRetention.DEFAULTS;
        if (section.isPresent()) {
            ConfigNode s = section.get();
            var enable = s.child("enable");
            if (enable.isPresent() && enable.get().isSequence()) {
                ConfigNode e = enable.get();
                tables = e.asStrings();
                for (String t : tables) {
                    if (!StatsRecorder.ALL_TABLES.contains(t)) throw e.error("unknown statistics \"" + t + "\"; expected some of " + StatsRecorder.ALL_TABLES);
                }
            } else if (enable.isPresent() && !enable.get().asBool()) {
                tables = List.of();
            }
            if (s.has("intervals")) {
                ConfigNode iv = s.required("intervals");
                periods = iv.asStrings();
                for (String p : periods) {
                    if (!StatsRecorder.ALL_PERIODS.contains(p)) throw iv.error("unknown interval \"" + p + "\"; expected some of " + StatsRecorder.ALL_PERIODS);
                }
            }
            var maintenance = s.child("maintenance");
            if (maintenance.isPresent()) {
                ConfigNode m = maintenance.get();
                m.child("stream").ifPresent(st -> {
                    st.asDuration();
                    warnings.add(st.file() + ":" + st.line() + ": stats.maintenance.stream: there is no stream table (LiveStats comes in a later release); ignored");
                });
                var keep = m.child("intervals");
                if (keep.isPresent()) {
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    for (var e : keep.get().mapping().entrySet()) {
                        if (!StatsRecorder.ALL_PERIODS.contains(e.getKey())) {
                            throw e.getValue().error("unknown interval \"" + e.getKey() + "\"; expected some of " + StatsRecorder.ALL_PERIODS);
                        }
                        int n = e.getValue().asInt();
                        if (n < 0) throw e.getValue().error("expected how many " + e.getKey() + "s to keep (0: for ever)");
                        counts.put(e.getKey(), n);
                    }
                    retention = retention.with(counts);
                }
                m.finish();
            }
            s.finish();
        }
        return tables.isEmpty() ? null : new StatsRecorder(env.server(), periods, tables, retention, env.clock(), env.store());
    }
}
