package dev.simmer.testing.simulation;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A {@link SecureRandom} whose every byte comes from a simulation's seed, so that what a
 * simulated program draws from it (TLS's client randoms, key shares, session ids; the
 * program's own tokens) replays with the seed. Predictable by design: never a source of real
 * secrets. Thread-safe (SecureRandom serializes the calls), though a simulation uses it from its
 * loop only.
 */
final class SeededSecureRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    private static final Provider PROVIDER = new Provider("SimmerSimulation", "1",
            "Simmer's simulation: a SecureRandom seeded from the simulation's seed (not secure)") {
        private static final long serialVersionUID = 1L;
    };

    SeededSecureRandom(long seed) {
        super(new Spi(seed), PROVIDER);
    }

    @Override
    public String getAlgorithm() {
        return "SimmerSimulationSeeded";
    }

    @Override
    public String toString() {
        return "SecureRandom seeded from a simulation (not secure)";
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private SplittableRandom random;

        Spi(long seed) {
            this.random = new SplittableRandom(seed);
        }

        /** More seed is mixed in, as SecureRandom promises; the same seeding still gives the same stream. */
        @Override
        protected void engineSetSeed(byte[] seed) {
            random = new SplittableRandom(random.nextLong() ^ Arrays.hashCode(seed) * 0x9E3779B97F4A7C15L);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] b = new byte[numBytes];
            random.nextBytes(b);
            return b;
        }
    }
}
