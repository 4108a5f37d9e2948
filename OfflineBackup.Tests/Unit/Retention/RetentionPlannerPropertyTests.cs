namespace OfflineBackup.Tests.Unit.Retention;

/// <summary>
/// 10,000 seeded random inventories. The checks re-derive what must be kept from the generator's
/// intent (not from the planner's classifier), so a planner bug cannot vouch for itself.
/// To replay a failure, run <see cref="RandomInventory.Generate"/> with the seed in the message.
/// </summary>
public sealed class RetentionPlannerPropertyTests
{
    private const int Inventories = 10_000;
    private const int FirstSeed = 20_250_601;

    [Fact]
    public void Never_deletes_what_it_must_keep_and_deletes_the_oldest_expired_first()
    {
        var seen = new Dictionary<(Ownership, RetentionReason), int>();
        for (var seed = FirstSeed; seed < FirstSeed + Inventories; seed++)
        {
            var inventory = RandomInventory.Generate(seed);
            var plan = RetentionPlanner.Plan(inventory.Snapshots, inventory.Policy, inventory.Now);
            var failure = RetentionPlanChecks.FirstViolation(inventory, plan);
            if (failure is not null)
            {
                Assert.Fail($"seed {seed}: {failure}\npolicy: {inventory.Policy}, now {inventory.Now:O}\n"
                    + string.Join('\n', plan.Decisions.Select(d =>
                        $"  {d.SnapshotId} {inventory.Kinds[d.SnapshotId]}{(inventory.Protected.Contains(d.SnapshotId) ? " protected" : "")} {d.Snapshot.State} {d.Snapshot.StartTime:O} -> {d.Action} {d.Ownership}: {d.Reason}")));
            }

            foreach (var decision in plan.Decisions)
            {
                seen[(decision.Ownership, decision.ReasonCode)] = seen.GetValueOrDefault((decision.Ownership, decision.ReasonCode)) + 1;
            }
        }

        // The generator must reach every rule, or the checks above prove little.
        foreach (var reason in Enum.GetValues<RetentionReason>())
        {
            Assert.True(seen.Any(kv => kv.Key.Item2 == reason), $"no inventory exercised {reason}");
        }

        foreach (var owner in new[] { Ownership.Ours, Ownership.Legacy })
        {
            foreach (var reason in new[] { RetentionReason.Expired, RetentionReason.OverMaxDeletes, RetentionReason.NewestKept, RetentionReason.Unexpired,
                RetentionReason.CalendarKept, RetentionReason.Locked, RetentionReason.InUse })
            {
                Assert.True(seen.ContainsKey((owner, reason)), $"no inventory exercised {owner}/{reason}");
            }
        }
    }

    [Fact]
    public void Plan_does_not_depend_on_inventory_order()
    {
        for (var seed = FirstSeed; seed < FirstSeed + 1_000; seed++)
        {
            var inventory = RandomInventory.Generate(seed);
            var shuffled = inventory.Snapshots.ToArray();
            new Random(seed).Shuffle(shuffled);

            var expected = InventorySpec.Describe(RetentionPlanner.Plan(inventory.Snapshots, inventory.Policy, inventory.Now));
            var actual = InventorySpec.Describe(RetentionPlanner.Plan(shuffled, inventory.Policy, inventory.Now));

            Assert.True(expected == actual, $"seed {seed}: order changed the plan\nwant: {expected}\ngot:  {actual}");
        }
    }
}
