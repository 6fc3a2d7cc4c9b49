import { FREQUENCY_SECONDS, quietAccounts } from "../../../../lambda/core/heartbeat";

describe("accounts that went quiet", () => {
  it("are the expected accounts without a completed sweep in the window, sorted, each once", () => {
    const sweeps = new Map([
      ["111111111111", 2],
      ["222222222222", 0],
      ["999999999999", 1],
    ]);
    expect(quietAccounts(["333333333333", "222222222222", "111111111111", "333333333333"], sweeps)).toEqual([
      "222222222222",
      "333333333333",
    ]);
  });

  it("count an account that reported nothing at all as quiet (missing data is breaching)", () => {
    expect(quietAccounts(["111111111111"], new Map())).toEqual(["111111111111"]);
  });

  it("are none when every expected account swept", () => {
    expect(quietAccounts(["111111111111"], new Map([["111111111111", 1]]))).toEqual([]);
  });
});

describe("Config's periodic frequencies", () => {
  it("are known in seconds for each value Config accepts", () => {
    expect(FREQUENCY_SECONDS).toEqual({
      One_Hour: 3600,
      Three_Hours: 10800,
      Six_Hours: 21600,
      Twelve_Hours: 43200,
      TwentyFour_Hours: 86400,
    });
  });
});
