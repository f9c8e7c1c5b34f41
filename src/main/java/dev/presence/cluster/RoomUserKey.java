package dev.presence.cluster;

import com.hazelcast.partition.PartitionAware;

/**
 * The key of one user's session count in one room (the cluster-wide map of per-user counts beside the occupancy
 * records). Partitioned by the room, so every count of a room lives on the room's own partition, with its occupancy
 * record: the recount rewrites them with one partition-local pass.
 *
 * @param room the room name
 * @param user the user
 */
record RoomUserKey(String room, String user) implements PartitionAware<String> {

  /** @return the room: Hazelcast places the entry on the partition of the room's name */
  @Override
  public String getPartitionKey() {
    return room;
  }
}
