package dev.pipeline.provision.secrets;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordGeneratorTest {
    private final PasswordGenerator generator = new PasswordGenerator();

    @Test
    void passwords_are32LettersAndDigits_withEveryClass() {
        for (int i = 0; i < 1000; i++) {
            String p = generator.next();
            assertThat(p).hasSize(32).matches("[A-Za-z0-9]{32}").matches(".*[A-Z].*").matches(".*[a-z].*").matches(".*[0-9].*");
        }
    }

    @Test
    void passwords_doNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(generator.next())).isTrue();
        }
    }

    @Test
    void everyCharacterOfTheAlphabet_turnsUp() {
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            generator.next().chars().forEach(c -> used.add((char) c));
        }
        assertThat(used).hasSize(PasswordGenerator.ALPHABET.length());
    }
}
