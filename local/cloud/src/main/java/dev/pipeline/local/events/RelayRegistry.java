package dev.pipeline.local.events;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The relays the gateway has set up, by target identity. Thread-safe; forgotten on reset. */
final class RelayRegistry {
    private final Map<Relay.Key, Relay> relays = new ConcurrentHashMap<>();

    void put(Relay relay) { relays.put(relay.key(), relay); }

    Optional<Relay> get(Relay.Key key) { return Optional.ofNullable(relays.get(key)); }

    Optional<Relay> remove(Relay.Key key) { return Optional.ofNullable(relays.remove(key)); }

    boolean isEmpty() { return relays.isEmpty(); }

    Collection<Relay> all() { return List.copyOf(relays.values()); }

    List<Relay> ofRule(String bus, String rule) {
        return relays.values().stream().filter(r -> r.key().bus().equals(bus) && r.key().rule().equals(rule)).toList();
    }

    List<Relay> ofBus(String bus) {
        return relays.values().stream().filter(r -> r.key().bus().equals(bus)).toList();
    }

    void clear() { relays.clear(); }
}
