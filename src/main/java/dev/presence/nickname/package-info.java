/**
 * Nicknames: the validation and normalization rule (ICU NFKC and NFKC_Casefold, the UTS #39 mark limits,
 * restriction level and confusable skeleton key), the lease with its fencing token, the pure lease policy
 * (claim, release, grace, renew; time is a parameter), and the
 * {@link dev.presence.nickname.NicknameLeaseStore} port.
 *
 * <p>Threading: the rule and the policy are pure and thread-safe (the cluster adapter runs the policy on
 * Hazelcast partition threads); the port completes on the caller's Vert.x context.
 */
package dev.presence.nickname;
