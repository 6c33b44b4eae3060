using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DvdSim.Dashboard.Web;

/// <summary>
/// The UI's login token. /login?t=TOKEN sets an HttpOnly cookie; every other page and API
/// needs that cookie (or an "Authorization: Bearer TOKEN" header): pages answer 401 with a login form, APIs a 401.
/// </summary>
internal sealed class BrowserAuthentication
{
    public const string CookieName = "dvdsim_dashboard";
    // State-changing API calls must carry this header: a form or a cross-origin page cannot set it.
    public const string RequestHeader = "X-Dashboard-Request";

    private readonly byte[] _token;
    private readonly string _cookieValue;

    public BrowserAuthentication(string token)
    {
        Token = token;
        _token = Encoding.UTF8.GetBytes(token);
        // The cookie holds a digest, so the token itself never sits in the browser's cookie jar.
        _cookieValue = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("dvdsim-dashboard-cookie:" + token)));
    }

    public string Token { get; }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public bool IsValidToken(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    public bool IsAuthenticated(HttpRequest request)
    {
        if (request.Cookies.TryGetValue(CookieName, out var cookie)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(_cookieValue)))
        {
            return true;
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && IsValidToken(authorization["Bearer ".Length..].Trim());
    }

    public void SignIn(HttpResponse response) =>
        response.Cookies.Append(CookieName, _cookieValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });

    /// <summary>Only local paths, so the login link cannot send the browser elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
