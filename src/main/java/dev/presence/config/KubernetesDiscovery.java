package dev.presence.config;

/** How Hazelcast's Kubernetes discovery finds members ({@code PRESENCE_K8S_DISCOVERY}). */
public enum KubernetesDiscovery {
  /** DNS lookup of a headless service: no Kubernetes API access needed (default). */
  DNS,
  /** Kubernetes API lookup of a service's endpoints: needs RBAC (see k8s/api-discovery). */
  API
}
