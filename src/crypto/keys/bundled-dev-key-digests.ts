// Written by scripts/make-dev-certs.js with the keys it makes: do not edit by hand.

/** SHA-256 (hex) of each private key file of the bundled dev CA, `certs/dev/**\/*.key`, as shipped. */
export const BUNDLED_DEV_KEY_SHA256: readonly string[] = [
  '24f189dcca34cda16afc782ac51a4c9b60fa735dee98eda3c908aea441c6ffba',
  'e99b67d35e3e73102ab0a8060966122261de77dcbf26e5cee8f034b1ae19ad9c',
  'be4bcc88f4fe644cda9e122352b660292b62ff2eb34cc1a4643f8b51d2fb0e91',
  'c04345ece93786a4aa1625382e1ad342573ae37937a2d5d886edbc938600c496',
  '28a6546074eb59cc67c958ac8bcb725b31128a9cfa4bfcd8920023ddee7e9cae',
  'd2bc4ecafe612d79324c026ae62676b3b65cfb4e97d89a897a82b3367253b018',
  '187b8d6a8d7e7b70166fbed7b7ef6a0018936910d3f2735c687e867a7609f000',
  'a9537e039c749c5a4c7d5b9de87a47a86b830ef99f2e8d96b80d439f65e9deeb',
  'c8704c48ac934fd338f7a6d92a5d1b0f6a6c6af9bacda460c08c6542810bf491',
  'c8d0f7741383ce82e0dc5f053e76ceb71f86574a8f1fc15e94cd0f3acead7477',
  '7ffdd9fce94e80182fa89901bcdc933d42d2b27e4458bcae522c7eec00f1bae4',
  'e50891e484f479d89a2d78cd2b54335146db456df8bc1d7811dc846ddc702418',
  '1f5d5a035d2d03f4380c48d02bae6f19aab4703ea48f2ae4686bb8546adc580d',
  'fe1c4cc50d87328e11f759192b852257b3f7ee4661ce1cf67cd19caf12bc4e73',
]
