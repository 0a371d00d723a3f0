import { warmUpVerify } from "./verify-warm-up";

test("the warm-up verifies the chain it makes up, and stops when asked", async () => {
  await expect(warmUpVerify(() => false, 12_000)).resolves.toBeUndefined();
  let asked = 0;
  await warmUpVerify(() => ++asked > 1, 1_000_000);
  // One chunk, then the stop was seen: far from a million events.
  expect(asked).toBe(2);
});
