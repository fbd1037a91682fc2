package io.jenkins.plugins.dbbackup.engine.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPImplementation;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** Reads public key files and picks, for each key, the subkey to encrypt to. */
final class PublicKeys {
    private static final OpenPGPImplementation IMPLEMENTATION = new BcOpenPGPImplementation();

    private PublicKeys() {
    }

    /** An encryption subkey and the recipient it stands for. */
    record Selected(PGPPublicKey encryptionKey, Recipient recipient) {
    }

    /**
     * The encryption subkey of every key in {@code file}.
     *
     * @throws IOException naming the key when it is revoked, expired or cannot encrypt, or when the file is no
     *                     public key file
     */
    static List<Selected> select(byte[] file, Date now) throws IOException {
        PGPPublicKeyRingCollection rings;
        try {
            rings = new PGPPublicKeyRingCollection(
                    PGPUtil.getDecoderStream(new ByteArrayInputStream(file)), new BcKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IOException("not an OpenPGP public key file (export one with 'gpg --export --armor KEY'): "
                    + e.getMessage(), e);
        }
        List<Selected> selected = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            selected.add(select(ring, now));
        }
        if (selected.isEmpty()) {
            throw new IOException("the public key file holds no key (export one with 'gpg --export --armor KEY')");
        }
        return selected;
    }

    private static Selected select(PGPPublicKeyRing ring, Date now) throws IOException {
        String fingerprint = hex(ring.getPublicKey().getFingerprint());
        OpenPGPCertificate cert = new OpenPGPCertificate(ring, IMPLEMENTATION);
        if (cert.getRevocation(now) != null) {
            throw new IOException("public key " + fingerprint + " is revoked; it cannot be encrypted to");
        }
        Date expiry = cert.getExpirationTime(now);
        if (expiry != null && !expiry.after(now)) {
            throw new IOException("public key " + fingerprint + " expired on " + expiry.toInstant()
                    + "; extend its expiry (gpg --quick-set-expire) and export it again");
        }
        List<OpenPGPCertificate.OpenPGPComponentKey> usable = cert.getEncryptionKeys(now);
        OpenPGPCertificate.OpenPGPComponentKey newest = usable.stream()
                .max(Comparator.comparing(OpenPGPCertificate.OpenPGPComponentKey::getCreationTime))
                .orElseThrow(() -> new IOException("public key " + fingerprint
                        + " has no valid encryption-capable (sub)key: it is for signing only, or its encryption"
                        + " subkeys are expired or revoked"));
        PGPPublicKey key = newest.getPGPPublicKey();
        return new Selected(key, new Recipient(fingerprint, keyId(key.getKeyID())));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    static String keyId(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }
}
