package org.decency.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.core.ManualClock;
import org.junit.jupiter.api.Test;

class KeyedCounterTableTest {
    final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T12:00:00Z"));

    /** A store that has no table of its own: the keyed one answers. */
    final Store store = new InMemoryStore(clock) {
        @Override
        public CounterTable counterTable(String name) {
            return new KeyedCounterTable(this, name);
        }
    };

    @Test
    void countersAreStoreCountersUnderTheNameAndElevenCharactersOfTheId() {
        CounterTable t = store.counterTable("c:m:");
        t.add(new long[]{0, -1, 1}, 3, Duration.ofDays(1));
        assertThat(KeyedCounterTable.key("c:m:", 0)).isEqualTo("c:m:AAAAAAAAAAA");
        assertThat(KeyedCounterTable.key("c:m:", 1)).isEqualTo("c:m:BAAAAAAAAAA");
        assertThat(KeyedCounterTable.key("c:m:", -1)).isEqualTo("c:m:__________P");
        assertThat(store.getEach(List.of("c:m:AAAAAAAAAAA", "c:m:__________P", "c:m:BAAAAAAAAAA"))).containsExactly("3", "3", "3");
        assertThat(t.get(new long[]{1, 2, 0})).containsExactly(3, 0, 3);
    }

    @Test
    void aCounterExpiresWhenNotAddedToForItsTtl() {
        CounterTable t = store.counterTable("c:");
        t.add(new long[]{5}, 1, Duration.ofHours(1));
        clock.advance(Duration.ofHours(2));
        assertThat(t.get(new long[]{5})).containsExactly(0);
    }

    @Test
    void aKeyReadsBackAsItsIdOnlyWhenItIsOneOfTheTable() {
        for (long id : new long[]{0, 1, -1, Long.MIN_VALUE, 0x123456789abcdefL}) {
            assertThat(KeyedCounterTable.id("c:m:", KeyedCounterTable.key("c:m:", id))).isEqualTo(id);
        }
        assertThat(KeyedCounterTable.id("c:m:", "c:m:#")).isNull();
        assertThat(KeyedCounterTable.id("c:m:", "c:n:AAAAAAAAAAA")).isNull();
        assertThat(KeyedCounterTable.id("c:m:", "c:m:AAAAAAAAAA!")).isNull();
        assertThat(KeyedCounterTable.id("c:m:", "c:m:__________Z")).as("more than 64 bits").isNull();
    }

    @Test
    void aValueThatIsNoCounterReadsAsZero() {
        store.put(KeyedCounterTable.key("c:", 8), "spam", Duration.ofDays(1));
        assertThat(store.counterTable("c:").get(new long[]{8})).containsExactly(0);
    }
}
