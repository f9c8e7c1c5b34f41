package dev.presence.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet would hand it to the process, for a sample pod: downward-API
 * fields take sample values, and {@code $(NAME)} refers to a variable defined earlier in the list (a
 * reference to a later or unknown one stays as literal text, which is how the kubelet treats it too).
 */
final class PodEnvironment {

  /** Sample values for the downward-API fields the manifests use. */
  static final Map<String, String> SAMPLE_FIELDS = Map.of(
      "metadata.name", "presence-0",
      "metadata.namespace", "sample-namespace",
      "spec.nodeName", "sample-node-1",
      "status.podIP", "10.1.2.3");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private final Map<String, String> values;
  private final List<String> unresolved;

  private PodEnvironment(Map<String, String> values, List<String> unresolved) {
    this.values = values;
    this.unresolved = unresolved;
  }

  /**
   * Resolves a container's env list in order.
   *
   * @param env the container's env
   * @return the resolved environment
   * @throws AssertionError for a source this test cannot sample (ConfigMap, Secret, resource fields)
   */
  static PodEnvironment resolve(List<EnvVar> env) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> unresolved = new ArrayList<>();
    for (EnvVar variable : env) {
      String value;
      if (variable.getValueFrom() == null) {
        value = expand(variable.getName(), variable.getValue() == null ? "" : variable.getValue(), values,
            unresolved);
      } else if (variable.getValueFrom().getSecretKeyRef() != null) {
        // Secrets are created by the operator (k8s/README.md); a sample of the required shape stands in.
        value = "sample-secret-" + variable.getValueFrom().getSecretKeyRef().getKey() + "-of-more-than-32-bytes";
      } else if (variable.getValueFrom().getFieldRef() != null) {
        String field = variable.getValueFrom().getFieldRef().getFieldPath();
        value = SAMPLE_FIELDS.get(field);
        if (value == null) {
          throw new AssertionError(variable.getName() + ": no sample value for the field " + field);
        }
      } else {
        throw new AssertionError(variable.getName() + ": a value source this test cannot sample");
      }
      values.put(variable.getName(), value);
    }
    return new PodEnvironment(values, unresolved);
  }

  /** @return every variable by name, in the order the pod defines them */
  Map<String, String> values() {
    return values;
  }

  /** @return the value of a variable, or {@code null} if the pod does not define it */
  String get(String name) {
    return values.get(name);
  }

  /** @return "VAR: $(REF)" for every reference to a variable not defined before it */
  List<String> unresolvedReferences() {
    return unresolved;
  }

  private static String expand(String name, String raw, Map<String, String> earlier, List<String> unresolved) {
    Matcher matcher = REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group(1) == null) {
        replacement = "$";
      } else if (earlier.containsKey(matcher.group(1))) {
        replacement = earlier.get(matcher.group(1));
      } else {
        unresolved.add(name + ": " + matcher.group());
        replacement = matcher.group();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
