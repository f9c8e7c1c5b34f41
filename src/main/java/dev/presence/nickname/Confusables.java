package dev.presence.nickname;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.util.ULocale;

/**
 * Confusable detection for nicknames (Unicode Technical Standard #39): the uniqueness key built from the §4
 * confusable skeleton (ICU's {@link SpoofChecker#getSkeleton(CharSequence)}), and the §5.2 restriction level
 * that keeps scripts easy to confuse from being mixed.
 *
 * <p><b>The key.</b> From {@code folded}, the {@code NFKC_Casefold} form of the display form:
 * {@code k = NFKC_Casefold(skeleton(toUpperCase(folded)))}, then {@code k = NFKC_Casefold(skeleton(k))} until
 * {@code k} no longer changes. Why each step:
 * <ul>
 *   <li>Case folding must come before any skeleton. UTS #39 §4 defines {@code skeleton(X)} on the string as
 *       written, and its data (confusables.txt, one any-case table since the "lowercase" tables SL and ML
 *       were dropped) treats the cases differently: {@code m} becomes {@code rn} and {@code M} stays, so
 *       {@code NFKC_Casefold(skeleton("ADMIN"))} is {@code admln} and that of {@code "admin"} is
 *       {@code adrnin}. Skeleton first, casefold after would make {@code ADMIN} and {@code admin} two
 *       nicknames; starting from {@code folded} makes every case variant the same input.</li>
 *   <li>The skeleton of the capitals comes first, because names are written capitalized and capitals are
 *       where look-alikes hide: {@code AIex} (capital I) looks like {@code Alex}, and so do {@code PauI} and
 *       {@code Paul}, {@code 1ris} and {@code Iris}. The skeleton maps {@code I}, {@code l} and {@code 1}
 *       together, but once folded the {@code I} is an {@code i}, which the skeleton keeps apart from
 *       {@code l}. Capitals also carry the cross-script twins ({@code ΝΑΤΟ} in Greek capitals and
 *       {@code NATO}). Measured once with ICU4J 77.1 (an experiment, not kept) on every one-letter confusable
 *       substitution of 32 common names (2,088 spellings), under the restriction level below: the skeleton of
 *       the fold alone let 81 look-alikes through (among them {@code AIex}, {@code PauI}, {@code BiIl}),
 *       capitals first let 44 through, all with rare letters (small capital {@code ɪ}, Armenian {@code ռ} for
 *       {@code n}).</li>
 *   <li>Then fold and skeleton again, to catch look-alikes that exist only in lower case: {@code rn} and
 *       {@code m}, Cyrillic {@code а} and Latin {@code a} (so {@code adrnin}, and the key of {@code аdmin}
 *       with a Cyrillic {@code а}, equal that of {@code admin}). The skeleton's prototypes are not case-folded
 *       ({@code 0} becomes {@code O}), hence the fold after each skeleton. One round is not always enough
 *       (folding a prototype can yield a character with a prototype of its own), so it repeats until nothing
 *       changes: with ICU4J 77.1 every code point a nickname may hold settles after at most two more changes;
 *       {@link #MAX_ROUNDS} leaves margin and ConfusablesTest checks every such code point, so an ICU upgrade
 *       that needs more fails a test.</li>
 * </ul>
 *
 * <p>What it costs. "Looks alike, ignoring case" is not transitive ({@code I} looks like {@code l} and is
 * {@code i} ignoring case, but {@code i} does not look like {@code l}), so one key either merges such chains
 * or misses some pairs. Closing every chain would merge {@code n} with {@code v}, and {@code r} with
 * {@code t}, {@code u}, {@code y} and {@code z} (through Greek and Cyrillic letters). This key merges only
 * {@code i}/{@code l}/{@code 1}, {@code o}/{@code 0} and {@code m}/{@code rn}: {@code Ian}/{@code lan},
 * {@code Ali}/{@code All}, {@code Arnold}/{@code Amold} and {@code Burns}/{@code Bums} are one nickname each.
 * That refusal ({@code nick_taken}) is the point: the holder of {@code Ali} may show it as {@code AlI}, which
 * looks like {@code All}. What it misses: letters whose capital has no twin but whose small form has one, e.g.
 * small capital {@code ɪ} in {@code Mɪke}, Armenian {@code ռ} in {@code Johռ}, Coptic {@code ⲅ} in
 * {@code ⲅoot}.
 *
 * <p>The skeleton is not text: UTS #39 §4 says it is for comparison only, never for display. It is the lease
 * key, visible as {@code key} in {@code GET /nicknames/{nick}}, and is shown nowhere else.
 *
 * <p><b>The restriction level.</b> A display form must be at most UTS #39 §5.2 "Moderately Restrictive": one
 * script (Han with Hiragana and Katakana, Han with Bopomofo and Han with Hangul count as one), or Latin with one
 * other script that is neither Cyrillic nor Greek (nor Cherokee). Common and inherited characters (digits,
 * {@code _}, {@code -}, most marks) belong to every script. This refuses the mixed-script spoofs the key
 * cannot see ({@code Bσb} with a Greek small sigma for the {@code o}: its capital {@code Σ} has no Latin
 * twin), and costs handles that spell one name in Latin and Cyrillic or Greek letters ({@code Ivan_Иван}).
 *
 * <p>Pure and thread-safe: ICU documents a built {@link SpoofChecker} as immutable (its check and skeleton
 * methods may be called from any number of threads at once) and {@link Normalizer2} instances as thread-safe.
 */
final class Confusables {

  /**
   * Most {@code NFKC_Casefold(skeleton(·))} rounds after the first; three (two changes and one that changes
   * nothing) are needed today. A string that has not settled by then keeps its last value, which is still a
   * deterministic key.
   */
  static final int MAX_ROUNDS = 4;

  // getSkeleton does not depend on the checks set; CONFUSABLE only states what this instance is for.
  private static final SpoofChecker SKELETONS =
      new SpoofChecker.Builder().setChecks(SpoofChecker.CONFUSABLE).build();
  // ICU's default allowed set is every code point, so this checks the mixture of scripts only.
  private static final SpoofChecker SCRIPTS = new SpoofChecker.Builder()
      .setChecks(SpoofChecker.RESTRICTION_LEVEL)
      .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
      .build();
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

  private Confusables() {}

  /**
   * @param folded a nickname's {@code NFKC_Casefold} form (non-empty)
   * @return the key: two nicknames collide iff their keys are equal; never {@code null}
   */
  static String key(String folded) {
    // Root locale: a Turkish or Lithuanian server must not key "i" differently from everyone else.
    String key = NFKC_CASEFOLD.normalize(SKELETONS.getSkeleton(UCharacter.toUpperCase(ULocale.ROOT, folded)));
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String next = NFKC_CASEFOLD.normalize(SKELETONS.getSkeleton(key));
      if (next.equals(key)) {
        return key;
      }
      key = next;
    }
    return key;
  }

  /**
   * @param display a nickname's NFKC form
   * @return whether it mixes scripts beyond UTS #39 §5.2 "Moderately Restrictive"
   */
  static boolean mixesScripts(String display) {
    return SCRIPTS.failsChecks(display);
  }
}
