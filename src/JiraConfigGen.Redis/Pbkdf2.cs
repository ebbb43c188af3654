using System;
using System.Security.Cryptography;

namespace JiraConfigGen.Redis
{
    /// <summary>
    /// PBKDF2 with HMAC-SHA256 and one 32-byte block (RFC 8018, section 5.2), for netstandard2.0, whose
    /// <see cref="Rfc2898DeriveBytes"/> knows only SHA-1. On .NET 8 and later the BCL's own is used.
    /// </summary>
    internal static class Pbkdf2
    {
        public static byte[] DeriveSha256(byte[] password, byte[] salt, int iterations)
        {
            using var hmac = new HMACSHA256(password);

            // U1 = PRF(password, salt || INT(1)); T = U1 xor U2 xor ... xor Uc.
            byte[] block = new byte[salt.Length + 4];
            Buffer.BlockCopy(salt, 0, block, 0, salt.Length);
            block[block.Length - 1] = 1;
            byte[] u = hmac.ComputeHash(block);
            byte[] result = (byte[])u.Clone();
            for (int i = 1; i < iterations; i++)
            {
                u = hmac.ComputeHash(u);
                for (int j = 0; j < result.Length; j++)
                {
                    result[j] ^= u[j];
                }
            }

            return result;
        }
    }
}
