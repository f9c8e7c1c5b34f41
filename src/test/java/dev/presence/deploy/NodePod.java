package dev.presence.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** The pod a render's StatefulSet creates, seen from the one container that runs the node. */
final class NodePod {

  private final RenderedManifests manifests;
  private final PodTemplateSpec template;

  private NodePod(RenderedManifests manifests) {
    this.manifests = manifests;
    this.template = manifests.only(StatefulSet.class).getSpec().getTemplate();
    if (template.getSpec().getContainers().size() != 1) {
      throw new AssertionError("expected the node's container only, found "
          + template.getSpec().getContainers().size());
    }
  }

  static NodePod of(RenderedManifests manifests) {
    return new NodePod(manifests);
  }

  PodTemplateSpec template() {
    return template;
  }

  PodSpec spec() {
    return template.getSpec();
  }

  Container container() {
    return spec().getContainers().get(0);
  }

  PodEnvironment env() {
    return PodEnvironment.resolve(container().getEnv());
  }

  /** @return the container port of that name; fails if there is none */
  int port(String name) {
    return container().getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  /** @return the volume mounted at that path; fails if nothing is */
  Volume volumeAt(String mountPath) {
    String name = container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountPath))
        .map(VolumeMount::getName).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPath));
    return spec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume named " + name));
  }

  /** @return the ServiceAccount the pod runs as; fails if the render does not contain it */
  ServiceAccount serviceAccount() {
    return manifests.named(ServiceAccount.class, spec().getServiceAccountName());
  }

  /** @return whether Kubernetes mounts an API token: the pod's own setting wins, then its ServiceAccount's */
  boolean tokenMounted() {
    Boolean podSays = spec().getAutomountServiceAccountToken();
    Boolean accountSays = serviceAccount().getAutomountServiceAccountToken();
    return podSays != null ? podSays : accountSays == null || accountSays;
  }
}
