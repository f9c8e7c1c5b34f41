package dev.presence.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.config.TlsSettings;
import dev.presence.testing.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pair a node serves: read from PEM, refused when the key is not the certificate's, re-read only on change. */
class CertificatePairTest {

  @TempDir
  Path dir;

  @Test
  void a_generated_pair_is_read_with_its_subject_and_expiry_and_never_prints_its_key() throws Exception {
    TlsFiles files = TlsFiles.create(dir);

    CertificatePair pair = CertificatePair.read(files.settings(60_000));

    assertThat(pair.subject()).isEqualTo("CN=localhost");
    assertThat(pair.notAfter()).isAfter(Instant.now());
    assertThat(pair.cert().toString()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(pair.toString()).contains("CN=localhost").doesNotContain("PRIVATE KEY")
        .doesNotContain(pair.key().toString().substring(40, 80));
  }

  @Test
  void a_key_that_is_not_the_certificates_is_refused_naming_both_files() {
    TlsFiles a = TlsFiles.another();
    TlsFiles b = TlsFiles.another();
    TlsSettings mixed = new TlsSettings(a.cert().toString(), b.key().toString(), 60_000);

    // The JDK key store takes any key beside any certificate; every handshake would fail later.
    assertThatThrownBy(() -> CertificatePair.read(mixed))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("does not belong to the certificate")
        .hasMessageContaining(a.cert().toString()).hasMessageContaining(b.key().toString());
  }

  @Test
  void a_missing_or_garbled_file_is_refused_naming_its_variable_and_path() throws Exception {
    TlsFiles files = TlsFiles.create(dir);
    TlsSettings missingKey = new TlsSettings(files.cert().toString(), dir.resolve("nope.key").toString(), 60_000);
    assertThatThrownBy(() -> CertificatePair.read(missingKey))
        .isInstanceOf(InvalidCertificateException.class)
        .hasMessageContaining("PRESENCE_TLS_KEY").hasMessageContaining("nope.key");

    Files.writeString(files.cert(), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> CertificatePair.read(files.settings(60_000)))
        .isInstanceOf(InvalidCertificateException.class).hasMessageContaining(files.cert().toString());
  }

  @Test
  void rereading_unchanged_files_is_a_no_op_and_changed_ones_are_checked_before_they_are_served() {
    TlsFiles served = TlsFiles.create(dir);
    TlsSettings settings = served.settings(60_000);
    CertificatePair first = CertificatePair.read(settings);

    assertThat(CertificatePair.reread(settings, first, null)).isInstanceOf(CertificatePair.Reread.Unchanged.class);

    served.replaceWith(TlsFiles.another());
    CertificatePair.Reread changed = CertificatePair.reread(settings, first, null);
    assertThat(changed).isInstanceOf(CertificatePair.Reread.Changed.class);
    CertificatePair second = ((CertificatePair.Reread.Changed) changed).pair();
    assertThat(second.sameFilesAs(first)).isFalse();
    assertThat(second.cert()).isNotEqualTo(first.cert());
  }

  @Test
  void a_half_rotated_pair_is_rejected_once_and_then_skipped_until_the_files_change_again() throws Exception {
    TlsFiles served = TlsFiles.create(dir);
    TlsSettings settings = served.settings(60_000);
    CertificatePair first = CertificatePair.read(settings);
    TlsFiles next = TlsFiles.another();
    // The new certificate has arrived, its key not yet.
    Files.copy(next.cert(), served.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CertificatePair.Reread rejected = CertificatePair.reread(settings, first, null);
    assertThat(rejected).isInstanceOf(CertificatePair.Reread.Rejected.class);
    String digest = ((CertificatePair.Reread.Rejected) rejected).digest();
    assertThat(((CertificatePair.Reread.Rejected) rejected).problem()).contains("does not belong");
    assertThat(CertificatePair.reread(settings, first, digest)).isInstanceOf(CertificatePair.Reread.Unchanged.class);

    served.replaceWith(next);
    assertThat(CertificatePair.reread(settings, first, digest)).isInstanceOf(CertificatePair.Reread.Changed.class);
  }
}
