using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DvdSim.Contracts;
using DvdSim.Testing;

namespace DvdSim.Coordinator.Tests;

/// <summary>The HTTP API's answers to requests it must refuse.</summary>
[Collection(CoordinatorFixture.Collection)]
public sealed class RunsApiTests(CoordinatorFixture fixture)
{
    private sealed record Problem(int Status, string? Detail, string? Key);

    private static async Task<Problem> ProblemAsync(Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<Problem>(body, JsonSerializerOptions.Web)!;
    }

    private async Task<bool> DatabaseExistsAsync(string database)
    {
        await using var server = await fixture.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @database", server);
        command.Parameters.AddWithValue("@database", database);
        return Convert.ToInt64(await command.ExecuteScalarAsync()) > 0;
    }

    [Theory]
    [InlineData("bad-name; DROP DATABASE mysql")]
    [InlineData("9starts_with_a_digit")]
    [InlineData("information_schema")]
    public async Task Creating_a_run_in_an_invalid_database_is_a_400_naming_it(string name)
    {
        var problem = await ProblemAsync(
            fixture.Http.PostAsJsonAsync("/runs", new CreateRunRequest(name, Scenario: "flat"), JsonSerializerOptions.Web), HttpStatusCode.BadRequest);
        Assert.Contains($"invalid database name '{name}'", problem.Detail);
        var runs = await fixture.Http.GetFromJsonAsync<RunView[]>("/runs", JsonSerializerOptions.Web);
        Assert.DoesNotContain(runs!, r => r.Database == name);
    }

    [Theory]
    [InlineData("demand.base_weekly_rentalz=300", "demand.base_weekly_rentalz")]
    [InlineData("stores.count=0", "stores.count")]
    [InlineData("late_fee_payments.never_pay_share=oops", "late_fee_payments.never_pay_share")]
    public async Task A_bad_scenario_override_is_a_400_naming_the_key_and_creates_nothing(string assignment, string key)
    {
        var database = TestServers.CreateDatabaseName();
        var problem = await ProblemAsync(fixture.Http.PostAsJsonAsync("/runs",
            new CreateRunRequest(database, Scenario: "flat", Overrides: [assignment]), JsonSerializerOptions.Web), HttpStatusCode.BadRequest);
        Assert.Equal(key, problem.Key);
        Assert.Contains($"'{key}'", problem.Detail);
        // Refused before anything happened: no run, no database.
        await ProblemAsync(fixture.Http.GetAsync($"/runs/{database}"), HttpStatusCode.NotFound);
        Assert.False(await DatabaseExistsAsync(database));
    }

    [Fact]
    public async Task Creating_a_run_in_a_database_that_holds_one_is_a_409_and_leaves_it_alone()
    {
        var database = TestServers.CreateDatabaseName();
        await fixture.CreateRunAsync(database, script => script.AnswerWeeks = false);
        await fixture.WaitForStateAsync(database, "running");
        await fixture.WaitForWeeksStartedAsync(database, DvdSim.Coordinator.Runs.RunRegistry.PipelineWindow);

        var problem = await ProblemAsync(
            fixture.Http.PostAsJsonAsync("/runs", new CreateRunRequest(database, Scenario: "flat"), JsonSerializerOptions.Web), HttpStatusCode.Conflict);
        Assert.Contains($"'{database}'", problem.Detail);

        var run = await fixture.GetRunAsync(database);
        Assert.Equal(("running", CoordinatorFixture.Weeks), (run.State, run.WeeksTarget));
        Assert.Equal(Enumerable.Range(1, DvdSim.Coordinator.Runs.RunRegistry.PipelineWindow), fixture.Stages.For(database).Started.Select(s => s.Week));
    }

    [Fact]
    public async Task Requests_are_not_logged_a_line_each()
    {
        // The CLI polls GET /runs/{db} five times a second while it follows a run.
        var database = TestServers.CreateDatabaseName();
        for (var i = 0; i < 5; i++) (await fixture.Http.GetAsync($"/runs/{database}")).Dispose();
        await Task.Delay(300); // console lines are read asynchronously

        Assert.DoesNotContain(fixture.Coordinator.ConsoleLines, line => line.Contains($"/runs/{database}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_without_a_run_is_a_404_everywhere_and_an_invalid_name_a_400()
    {
        var database = TestServers.CreateDatabaseName();
        foreach (var path in new[] { $"/runs/{database}", $"/runs/{database}/weeks", $"/runs/{database}/stats" })
        {
            var problem = await ProblemAsync(fixture.Http.GetAsync(path), HttpStatusCode.NotFound);
            Assert.Contains($"'{database}'", problem.Detail);
        }
        await ProblemAsync(fixture.Http.PostAsJsonAsync($"/runs/{database}/extend", new ExtendRunRequest(4), JsonSerializerOptions.Web),
            HttpStatusCode.NotFound);
        await ProblemAsync(fixture.Http.PostAsync($"/runs/{database}/resume", null), HttpStatusCode.NotFound);

        var invalid = await ProblemAsync(fixture.Http.GetAsync("/runs/not-a-name"), HttpStatusCode.BadRequest);
        Assert.Contains("invalid database name 'not-a-name'", invalid.Detail);
    }
}
