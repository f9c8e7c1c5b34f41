package dev.presence.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.presence.config.AdminSettings;
import dev.presence.config.ClusterSettings;
import dev.presence.config.EventBusTls;
import dev.presence.config.PartitionGroup;
import dev.presence.config.PresenceConfigLoader;
import dev.presence.transport.HttpPaths;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kubernetes manifests render with kustomize, parse strictly, and agree with the node's own code. */
class KubernetesManifestsTest {

  private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  /** The default: DNS discovery. */
  private static final String DNS = "k8s";
  /** The overlay: Kubernetes API discovery. */
  private static final String API = "k8s/api-discovery";

  private static Map<String, RenderedManifests> renders;

  @BeforeAll
  static void render() {
    renders = Map.of(DNS, RenderedManifests.render(ROOT, DNS), API, RenderedManifests.render(ROOT, API));
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void every_presence_variable_is_a_setting_the_node_knows(String dir) {
    assertThat(pod(dir).env().values().keySet()).filteredOn(name -> name.startsWith("PRESENCE_"))
        .isNotEmpty().allMatch(PresenceConfigLoader.KEYS::contains);
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void every_env_reference_names_a_variable_defined_before_it(String dir) {
    // The kubelet leaves "$(POD_NAMESPACE)" as literal text unless POD_NAMESPACE comes earlier in the
    // list, and kustomize v5 puts a patch's new variables first.
    assertThat(pod(dir).env().unresolvedReferences()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void the_node_accepts_the_settings_its_pod_gives_it(String dir) {
    assertThatCode(() -> PresenceConfigLoader.fromEnv(pod(dir).env().values())).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void two_listeners_the_public_service_exposes_only_the_public_port_and_prometheus_scrapes_the_admin_one(
      String dir) {
    PodEnvironment env = pod(dir).env();
    AdminSettings admin = PresenceConfigLoader.fromEnv(env.values()).admin();
    int httpPort = intOr(env.get("PRESENCE_HTTP_PORT"), PresenceConfigLoader.DEFAULT_HTTP_PORT);
    Map<String, Service> services = renders.get(dir).all(Service.class).stream()
        .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));

    assertThat(env.get("PRESENCE_HTTP_HOST")).as("Services connect from outside the pod").isEqualTo("0.0.0.0");
    assertThat(admin.host()).as("the kubelet and Prometheus connect from outside the pod").isEqualTo("0.0.0.0");
    assertThat(pod(dir).port("http")).isEqualTo(httpPort);
    assertThat(pod(dir).port("admin")).isEqualTo(admin.port()).isNotEqualTo(httpPort);
    assertThat(services).containsOnlyKeys("presence", "presence-admin");
    assertThat(services.get("presence").getSpec().getPorts()).as("the public Service: the public port only")
        .extracting(p -> p.getTargetPort().getStrVal()).containsExactly("http");
    assertThat(services.get("presence-admin").getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(services.get("presence-admin").getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("admin");
      assertThat(p.getPort()).isEqualTo(admin.port());
    });
    assertThat(pod(dir).template().getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(admin.port()))
        .containsEntry("prometheus.io/path", HttpPaths.METRICS);
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void the_api_keys_come_from_a_secret(String dir) {
    var keys = pod(dir).container().getEnv().stream().filter(e -> e.getName().equals("PRESENCE_API_KEYS"))
        .findFirst().orElseThrow();
    assertThat(keys.getValue()).as("never a literal key in the manifests").isNull();
    assertThat(keys.getValueFrom().getSecretKeyRef().getName()).isEqualTo("presence-api-keys");
  }

  @Test
  void probes_ask_the_node_health_paths_on_its_admin_port() {
    Container node = pod(DNS).container();

    assertProbe(node.getStartupProbe(), HttpPaths.LIVE);
    assertProbe(node.getLivenessProbe(), HttpPaths.LIVE);
    assertProbe(node.getReadinessProbe(), HttpPaths.READY);
  }

  @Test
  void the_example_ingress_routes_only_the_public_paths_to_the_public_port() throws IOException {
    RenderedManifests example = RenderedManifests.parse(
        Files.readString(ROOT.resolve("k8s/examples/ingress.yaml"), StandardCharsets.UTF_8));
    Ingress ingress = example.only(Ingress.class);
    Service publicService = renders.get(DNS).named(Service.class, "presence");
    List<String> publicPortNames = publicService.getSpec().getPorts().stream().map(ServicePort::getName).toList();

    assertThat(ingress.getSpec().getDefaultBackend()).isNull();
    var paths = ingress.getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream()).toList();
    assertThat(paths).extracting(p -> p.getPath())
        .containsExactlyInAnyOrder(HttpPaths.WEBSOCKET, HttpPaths.EVENT_BUS_BRIDGE, "/");
    assertThat(paths).allSatisfy(p -> {
      assertThat(p.getBackend().getService().getName()).isEqualTo(publicService.getMetadata().getName());
      assertThat(p.getBackend().getService().getPort().getName()).isIn(publicPortNames);
    });
    assertThat(Files.readString(ROOT.resolve("k8s/base/kustomization.yaml"))).as("an example, not applied")
        .doesNotContain("ingress");
  }

  @Test
  void members_find_each_other_through_the_headless_service_before_they_are_ready() {
    StatefulSet statefulSet = renders.get(DNS).only(StatefulSet.class);
    Service members = renders.get(DNS).named(Service.class, statefulSet.getSpec().getServiceName());
    PodEnvironment env = pod(DNS).env();
    int hazelcastPort = intOr(env.get("PRESENCE_HZ_PORT"), PresenceConfigLoader.DEFAULT_HZ_PORT);
    assertThat(env.get("PRESENCE_EVENTBUS_PORT")).as("a fixed event-bus port, not a random one").isNotBlank();
    int eventBusPort = Integer.parseInt(env.get("PRESENCE_EVENTBUS_PORT"));

    assertThat(members.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(members.getSpec().getPublishNotReadyAddresses()).isTrue();
    // Named "hazelcast": Hazelcast's API discovery takes the endpoint port of that name when no
    // service-port is configured (KubernetesApiProvider.extractPort).
    assertThat(members.getSpec().getPorts().stream()
        .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort)))
        .isEqualTo(Map.of("hazelcast", hazelcastPort, "eventbus", eventBusPort));
    assertThat(members.getSpec().getPorts())
        .allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo(p.getName()));
    assertThat(pod(DNS).port("hazelcast")).isEqualTo(hazelcastPort);
    assertThat(pod(DNS).port("eventbus")).isEqualTo(eventBusPort);
    assertThat(env.get("PRESENCE_CLUSTER_HOST")).isEqualTo(PodEnvironment.SAMPLE_FIELDS.get("status.podIP"));
    assertThat(env.get("PRESENCE_K8S_DISCOVERY")).isEqualTo("dns");
    assertThat(env.get("PRESENCE_K8S_SERVICE_DNS")).isEqualTo(members.getMetadata().getName() + "."
        + PodEnvironment.SAMPLE_FIELDS.get("metadata.namespace") + ".svc.cluster.local");
    assertThat(statefulSet.getSpec().getPodManagementPolicy()).as("one at a time: no split brain at start")
        .isIn(null, "OrderedReady");
  }

  @Test
  void api_discovery_looks_up_the_member_service_in_the_pods_own_namespace() {
    PodEnvironment env = pod(API).env();

    assertThat(env.get("PRESENCE_K8S_DISCOVERY")).isEqualTo("api");
    assertThat(env.get("PRESENCE_K8S_SERVICE_NAME"))
        .isEqualTo(renders.get(API).only(StatefulSet.class).getSpec().getServiceName());
    assertThat(env.get("PRESENCE_K8S_NAMESPACE")).isEqualTo(PodEnvironment.SAMPLE_FIELDS.get("metadata.namespace"));
    assertThat(env.get("POD_NAME")).isEqualTo(PodEnvironment.SAMPLE_FIELDS.get("metadata.name"));
  }

  @Test
  void api_discovery_may_read_what_hazelcast_reads_and_nothing_more() {
    RenderedManifests manifests = renders.get(API);
    Role role = manifests.only(Role.class);
    RoleBinding binding = manifests.only(RoleBinding.class);

    assertThat(role.getRules()).allSatisfy(rule -> assertThat(rule.getVerbs()).containsOnly("get", "list"));
    assertAllowed(role, "", "endpoints", "pods", "services");
    assertAllowed(role, "discovery.k8s.io", "endpointslices");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(pod(API).serviceAccount().getMetadata().getName());
    });
    assertThat(pod(API).tokenMounted()).as("API discovery authenticates with the ServiceAccount token").isTrue();
    assertThat(manifests.all(ClusterRole.class)).isEmpty();
    assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
  }

  @Test
  void dns_discovery_gets_no_kubernetes_api_access() {
    RenderedManifests manifests = renders.get(DNS);

    assertThat(manifests.all(Role.class)).isEmpty();
    assertThat(manifests.all(RoleBinding.class)).isEmpty();
    assertThat(manifests.all(ClusterRole.class)).isEmpty();
    assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(pod(DNS).tokenMounted()).isFalse();
  }

  @Test
  void pods_run_unprivileged_on_a_read_only_root_filesystem() {
    PodSecurityContext pod = pod(DNS).spec().getSecurityContext();
    SecurityContext container = pod(DNS).container().getSecurityContext();

    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getRunAsGroup()).isEqualTo(10001L);
    assertThat(pod.getFsGroup()).isEqualTo(10001L);
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod(DNS).volumeAt("/tmp").getEmptyDir()).as("the JVM and Netty write to /tmp").isNotNull();
  }

  @Test
  void no_service_links_put_stray_presence_variables_into_the_pod() {
    // With links, the Service "presence" becomes PRESENCE_PORT=tcp://..., PRESENCE_SERVICE_HOST, ...
    assertThat(pod(DNS).spec().getEnableServiceLinks()).isFalse();
  }

  @Test
  void the_kubelet_waits_for_the_whole_drain_before_killing_the_node() {
    long drainMs = Long.parseLong(pod(DNS).env().get("PRESENCE_DRAIN_TIMEOUT_MS"));
    long preStopMs = 0;
    Container node = pod(DNS).container();
    if (node.getLifecycle() != null && node.getLifecycle().getPreStop() != null) {
      Matcher sleep = Pattern.compile("\\bsleep\\s+(\\d+)\\b")
          .matcher(String.join(" ", node.getLifecycle().getPreStop().getExec().getCommand()));
      assertThat(sleep.find()).as("a preStop that is a plain sleep").isTrue();
      preStopMs = Long.parseLong(sleep.group(1)) * 1000;
    }

    assertThat(pod(DNS).spec().getTerminationGracePeriodSeconds() * 1000).isGreaterThan(preStopMs + drainMs);
  }

  @Test
  void the_mounted_hazelcast_config_is_the_bundled_kubernetes_one() throws IOException {
    Path bundled = ROOT.resolve("cluster-config/hazelcast-kubernetes.xml");
    Path configFile = Path.of(pod(DNS).env().get("PRESENCE_HZ_CONFIG"));
    String mountPath = configFile.getParent().toString();
    VolumeMount mount = pod(DNS).container().getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(mountPath)).findFirst().orElseThrow();
    ConfigMap configMap = renders.get(DNS).named(ConfigMap.class,
        pod(DNS).volumeAt(mountPath).getConfigMap().getName());
    String xml = configMap.getData().get(configFile.getFileName().toString());

    assertThat(mount.getReadOnly()).isTrue();
    assertThat(Files.mismatch(ROOT.resolve("k8s/base/hazelcast.xml"), bundled))
        .as("k8s/base/hazelcast.xml is a byte-for-byte copy of %s", bundled).isEqualTo(-1L);
    assertThat(xml).isEqualTo(Files.readString(bundled, StandardCharsets.UTF_8));
    JoinConfig join = new XmlConfigBuilder(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).build()
        .getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
  }

  @Test
  void the_autoscaler_never_grows_the_cluster_past_its_quorum_size_and_one_lost_pod_keeps_the_quorum() {
    HorizontalPodAutoscaler autoscaler = renders.get(DNS).only(HorizontalPodAutoscaler.class);
    StatefulSet statefulSet = renders.get(DNS).only(StatefulSet.class);
    int budget = renders.get(DNS).only(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal();
    ClusterSettings cluster = PresenceConfigLoader.fromEnv(pod(DNS).env().values()).cluster();

    assertThat(autoscaler.getSpec().getMaxReplicas()).as("the most members, PRESENCE_CLUSTER_SIZE")
        .isLessThanOrEqualTo(cluster.expectedSize());
    assertThat(Math.min(autoscaler.getSpec().getMinReplicas(), statefulSet.getSpec().getReplicas()) - budget)
        .as("members left after one voluntary disruption at the smallest size").isGreaterThanOrEqualTo(
            cluster.nicknameQuorum());
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void a_kubernetes_nodes_loss_takes_no_partitions_backup_with_its_primary(String dir) {
    ClusterSettings cluster = PresenceConfigLoader.fromEnv(pod(dir).env().values()).cluster();
    List<TopologySpreadConstraint> spread = pod(dir).spec().getTopologySpreadConstraints();

    assertThat(cluster.partitionGroup()).as("the pod's node is its partition group, from the downward API")
        .isEqualTo(PartitionGroup.placement(PodEnvironment.SAMPLE_FIELDS.get("spec.nodeName")));
    assertThat(spread).filteredOn(c -> "kubernetes.io/hostname".equals(c.getTopologyKey())).singleElement()
        .satisfies(c -> {
          assertThat(c.getWhenUnsatisfiable()).as("never stack pods on a node quietly").isEqualTo("DoNotSchedule");
          assertThat(c.getMaxSkew()).isEqualTo(1);
          assertThat(c.getNodeTaintsPolicy()).as("untolerated nodes are no empty domain").isEqualTo("Honor");
          assertThat(pod(dir).template().getMetadata().getLabels())
              .containsAllEntriesOf(c.getLabelSelector().getMatchLabels());
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void the_event_bus_admits_only_holders_of_the_cluster_certificate_from_its_secret(String dir) {
    PodEnvironment env = pod(dir).env();
    EventBusTls tls = PresenceConfigLoader.fromEnv(env.values()).cluster().eventBusTls();

    assertThat(tls).as("mutual TLS on the event bus").isNotNull();
    for (String file : List.of(tls.certPath(), tls.keyPath(), tls.caPath())) {
      String mountPath = Path.of(file).getParent().toString();
      VolumeMount mount = pod(dir).container().getVolumeMounts().stream()
          .filter(m -> m.getMountPath().equals(mountPath)).findFirst().orElseThrow();
      assertThat(mount.getReadOnly()).as(file).isTrue();
      assertThat(pod(dir).volumeAt(mountPath).getSecret().getSecretName()).as(file)
          .isEqualTo("presence-cluster-tls");
    }
  }

  @Test
  void the_heap_is_sized_from_the_memory_limit() {
    Container node = pod(DNS).container();

    assertThat(node.getResources().getLimits()).containsKey("memory");
    assertThat(node.getResources().getRequests().get("memory").getNumericalAmount())
        .as("memory request = limit: a node is never evicted for using what it was given")
        .isEqualByComparingTo(node.getResources().getLimits().get("memory").getNumericalAmount());
    assertThat(pod(DNS).env().get("JAVA_TOOL_OPTIONS"))
        .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void the_autoscaler_scales_the_statefulset_against_its_cpu_request() {
    HorizontalPodAutoscaler autoscaler = renders.get(DNS).only(HorizontalPodAutoscaler.class);
    StatefulSet statefulSet = renders.get(DNS).only(StatefulSet.class);
    CrossVersionObjectReference target = autoscaler.getSpec().getScaleTargetRef();

    assertThat(target.getApiVersion() + "/" + target.getKind() + "/" + target.getName())
        .isEqualTo(statefulSet.getApiVersion() + "/StatefulSet/" + statefulSet.getMetadata().getName());
    assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(statefulSet.getSpec().getReplicas());
    assertThat(pod(DNS).container().getResources().getRequests())
        .as("CPU utilization is measured against the request").containsKey("cpu");
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void every_selector_selects_the_pods(String dir) {
    RenderedManifests manifests = renders.get(dir);
    Map<String, String> labels = pod(dir).template().getMetadata().getLabels();
    PodDisruptionBudget budget = manifests.only(PodDisruptionBudget.class);

    assertThat(manifests.all(Service.class))
        .allSatisfy(s -> assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector()));
    assertThat(labels).containsAllEntriesOf(manifests.only(StatefulSet.class).getSpec().getSelector()
        .getMatchLabels());
    assertThat(labels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pod(dir).spec().getTopologySpreadConstraints())
        .allSatisfy(c -> assertThat(labels).containsAllEntriesOf(c.getLabelSelector().getMatchLabels()));
  }

  @ParameterizedTest
  @ValueSource(strings = {DNS, API})
  void only_presence_pods_and_labelled_lite_members_reach_the_cluster_ports(String dir) {
    NetworkPolicy policy = renders.get(dir).only(NetworkPolicy.class);
    Map<String, String> labels = pod(dir).template().getMetadata().getLabels();
    Map<String, Integer> ports = pod(dir).container().getPorts().stream()
        .collect(java.util.stream.Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));

    assertThat(labels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
    for (var rule : policy.getSpec().getIngress()) {
      List<Integer> rulePorts = rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList();
      if (rulePorts.contains(ports.get("hazelcast")) || rulePorts.contains(ports.get("eventbus"))) {
        assertThat(rule.getFrom()).as("who may reach %s", rulePorts).isNotEmpty().allSatisfy(peer -> {
          assertThat(peer.getIpBlock()).as("no address range").isNull();
          assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
          Map<String, String> required = peer.getPodSelector().getMatchLabels();
          assertThat(required.equals(policy.getSpec().getPodSelector().getMatchLabels())
              || required.equals(Map.of("presence.dev/lite-member", "true")))
              .as("a presence pod or a labelled lite member: %s", required).isTrue();
        });
      } else if (rulePorts.contains(ports.get("admin"))) {
        assertThat(rulePorts).as("the admin port has a rule of its own").containsExactly(ports.get("admin"));
        assertThat(rule.getFrom()).as("who may reach the admin port").isNotEmpty().allSatisfy(peer -> {
          assertThat(peer.getIpBlock()).as("no address range").isNull();
          if (peer.getNamespaceSelector() != null) {
            assertThat(peer.getPodSelector()).as("a whole namespace: the monitoring one").isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
          } else {
            Map<String, String> required = peer.getPodSelector().getMatchLabels();
            assertThat(required.equals(policy.getSpec().getPodSelector().getMatchLabels())
                || required.equals(Map.of("presence.dev/admin-client", "true")))
                .as("a presence pod or a labelled admin client of this namespace: %s", required).isTrue();
          }
        });
      } else {
        assertThat(rulePorts).as("open to the cluster: the public port only").containsExactly(ports.get("http"));
        assertThat(rule.getFrom()).as("the public port from anywhere").isNullOrEmpty();
      }
    }
    List<Integer> admitted = policy.getSpec().getIngress().stream()
        .flatMap(r -> r.getPorts().stream().map(p -> p.getPort().getIntVal())).toList();
    assertThat(admitted).as("every port the node listens on is admitted to someone")
        .containsExactlyInAnyOrderElementsOf(ports.values());
  }

  @Test
  void a_misspelt_field_fails_the_parse_instead_of_vanishing() {
    String misspelt = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIp: None\n";

    assertThatThrownBy(() -> RenderedManifests.parse(misspelt)).hasMessageContaining("clusterIp");
  }

  private static NodePod pod(String dir) {
    return NodePod.of(renders.get(dir));
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("admin");
  }

  private static void assertAllowed(Role role, String apiGroup, String... resources) {
    for (String resource : resources) {
      assertThat(role.getRules()).as("get and list on %s", resource).anySatisfy((PolicyRule rule) -> {
        assertThat(rule.getApiGroups()).contains(apiGroup);
        assertThat(rule.getResources()).contains(resource);
        assertThat(rule.getVerbs()).contains("get", "list");
      });
    }
  }

  private static int intOr(String value, int fallback) {
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
