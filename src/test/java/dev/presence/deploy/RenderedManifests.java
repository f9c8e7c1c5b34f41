package dev.presence.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The objects {@code kubectl kustomize <dir>} renders, each parsed strictly into its fabric8 model class.
 *
 * <p>Strict means a misspelt or misplaced field fails the parse. fabric8's classes would otherwise
 * swallow it: every one has a {@code @JsonAnySetter} that files unknown fields under
 * "additionalProperties", so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone never fires, and a
 * {@code readinesProbe:} would render, apply (the API server prunes it too) and leave the pod unprobed.
 */
final class RenderedManifests {

  /** The kinds the manifests may contain, by apiVersion/kind; any other kind fails the parse. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("apps/v1/StatefulSet", StatefulSet.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class));

  private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
          return Boolean.FALSE;
        }
      });

  private final List<HasMetadata> objects;

  private RenderedManifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  /**
   * Runs {@code kubectl kustomize dir} from the project root and parses its output.
   *
   * @param projectRoot the repository root
   * @param dir         the kustomization directory, relative to the root
   * @return the rendered objects
   * @throws AssertionError if kubectl is missing, fails, or renders something that does not parse
   */
  static RenderedManifests render(Path projectRoot, String dir) {
    String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
    if (!onPath(kubectl)) {
      throw new AssertionError("'" + kubectl + "' is not on the PATH: the Kubernetes manifests test renders them "
          + "with `kubectl kustomize`. .ci/run installs it (Debian package kubernetes-client); elsewhere install "
          + "kubectl, or point the KUBECTL environment variable at one.");
    }
    try {
      Path out = Files.createTempFile("kustomize", ".yaml");
      Path err = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder(kubectl, "kustomize", dir).directory(projectRoot.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n"
              + Files.readString(err, StandardCharsets.UTF_8));
        }
        return parse(Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running kubectl kustomize " + dir, e);
    }
  }

  /**
   * Parses a multi-document YAML stream of Kubernetes objects, strictly.
   *
   * @param yaml the documents
   * @return the objects, in order
   * @throws IllegalArgumentException naming the object that has an unknown kind or field
   */
  static RenderedManifests parse(String yaml) throws IOException {
    List<HasMetadata> parsed = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = STRICT.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        String name = type + " " + document.path("metadata").path("name").asText();
        Class<? extends HasMetadata> modelClass = KINDS.get(type);
        if (modelClass == null) {
          throw new IllegalArgumentException(name + ": a kind this test does not know; add it to KINDS");
        }
        try {
          parsed.add(STRICT.treeToValue(document, modelClass));
        } catch (IOException e) {
          throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
      }
    }
    return new RenderedManifests(parsed);
  }

  /** @return every object of the given kind */
  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** @return the only object of the given kind; fails if there is none or more than one */
  <T extends HasMetadata> T only(Class<T> kind) {
    List<T> found = all(kind);
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + kind.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** @return the object of the given kind and name; fails if there is none */
  <T extends HasMetadata> T named(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
  }

  private static boolean onPath(String command) {
    if (command.contains(File.separator)) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
