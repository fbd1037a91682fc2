package io.jenkins.plugins.dbbackup.engine.crypto;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;

/**
 * Digests for S2K (passphrase to key) and secret key checksums: the JDK's own {@code MessageDigest} where it has the
 * algorithm (SHA-1 and SHA-2 use the CPU's SHA instructions, which makes a 16 MiB S2K take milliseconds), otherwise
 * BouncyCastle's lightweight implementation (RIPEMD-160 and other old ones). No provider is registered.
 */
final class DigestCalculators implements PGPDigestCalculatorProvider {
    static final DigestCalculators INSTANCE = new DigestCalculators();

    private final PGPDigestCalculatorProvider jdk;
    private final PGPDigestCalculatorProvider bc = new BcPGPDigestCalculatorProvider();

    private DigestCalculators() {
        PGPDigestCalculatorProvider p;
        try {
            p = new JcaPGPDigestCalculatorProviderBuilder().build();
        } catch (PGPException e) {
            p = null;
        }
        this.jdk = p;
    }

    @Override
    public PGPDigestCalculator get(int algorithm) throws PGPException {
        if (jdk != null) {
            try {
                return jdk.get(algorithm);
            } catch (PGPException | RuntimeException notInTheJdk) {
                // fall through to BouncyCastle
            }
        }
        return bc.get(algorithm);
    }
}
