// Packaging for trust workstations: a per-machine, signed MSI for Windows x64, with every Electron
// fuse stated. Built on the Windows runner (it has network for WiX and the Electron zip):
//   npm run build && npx electron-builder --config build/electron-builder.config.ts --win msi --x64
//
// Signing is configured on the Windows runner through the environment, never in this file:
// WIN_CSC_LINK (or CSC_LINK) is the base64 or path of the .pfx and WIN_CSC_KEY_PASSWORD its password
// (for Azure Trusted Signing, the AZURE_* variables instead, with win.azureSignOptions). A release
// build without a certificate fails; set DSP_ALLOW_UNSIGNED=1 only for a local trial build.
import type { Configuration } from 'electron-builder';

/**
 * Never change this: Windows Installer recognises an upgrade of the same product by it. A new value
 * would install a second copy beside the old one on every managed desktop.
 */
const MSI_UPGRADE_CODE = '2F409492-05B0-49FC-909D-DAD6B1D5F1BF';

const config: Configuration = {
  appId: 'uk.nhs.staffpassport.desktop', // = APP_USER_MODEL_ID in electron/main.ts
  productName: 'Staff Passport Desktop',
  copyright: 'Crown copyright',
  directories: {
    // Not dist/: that holds the compiled app (dist/electron, dist/renderer) that goes into the package.
    output: 'release/${version}',
    buildResources: 'build',
  },

  files: [
    'package.json',
    'dist/electron/**/*',
    'dist/renderer/**/*',
    '!dist/electron/**/*.map',
    // The SQLCipher build ships prebuilt N-API binaries; its C sources are not needed at run time.
    '!node_modules/better-sqlite3-multiple-ciphers/{deps,src,binding.gyp}',
    '!node_modules/better-sqlite3-multiple-ciphers/prebuilds/{darwin,linux,linuxmusl}-*.node',
  ],
  asar: true,
  // Native code cannot be loaded from inside an asar archive; Electron redirects to app.asar.unpacked.
  asarUnpack: ['node_modules/better-sqlite3-multiple-ciphers/prebuilds/*.node'],
  // better-sqlite3-multiple-ciphers is N-API with a prebuilt win32-x64 binary: the same file runs in
  // Node and in Electron, so nothing is rebuilt (and no compiler is needed on the runner).
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,

  // Flipped right before signing. See https://www.electronjs.org/docs/latest/tutorial/fuses
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },

  win: {
    target: [{ target: 'msi', arch: ['x64'] }],
    artifactName: 'Staff-Passport-Desktop-${version}-win-${arch}.${ext}',
    legalTrademarks: 'NHS',
    signtoolOptions: {
      signingHashAlgorithms: ['sha256'],
      rfc3161TimeStampServer: 'http://timestamp.digicert.com',
    },
    forceCodeSigning: process.env.DSP_ALLOW_UNSIGNED !== '1',
  },

  msi: {
    oneClick: false,
    perMachine: true,
    upgradeCode: MSI_UPGRADE_CODE,
    runAfterFinish: false,
    createDesktopShortcut: false,
    createStartMenuShortcut: true,
    shortcutName: 'Staff Passport',
    menuCategory: false,
    warningsAsErrors: true,
  },

  // Updates come from the trust's software deployment (SCCM/Intune), not from the internet.
  publish: null,
};

export default config;
